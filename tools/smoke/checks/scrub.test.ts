import { describe, expect, it } from 'vitest'
import { rehydrateVerdict, scrubVerdict } from './scrub.ts'

const scrubbed = (text: string) => ({ map_handle: 'h1', items: [{ id: 'smoke-1', scrubbed_text: text }] })

describe('scrub and rehydrate verdicts', () => {
  it('takes a sentence whose name and email became placeholders', () => {
    expect(scrubVerdict(scrubbed('Please ask [PERSON_1] to email [EMAIL_1] before Friday.'))).toEqual({
      handle: 'h1',
      text: 'Please ask [PERSON_1] to email [EMAIL_1] before Friday.',
    })
  })

  it('fails when the name or the email is left, or a placeholder is missing', () => {
    expect(() => scrubVerdict(scrubbed('Please ask Maria Jensen to email [EMAIL_1] before Friday.'))).toThrow(
      '/scrub left Maria Jensen in the text',
    )
    expect(() => scrubVerdict(scrubbed('Please ask [PERSON_1] to email [REDACTED] before Friday.'))).toThrow(
      '/scrub gave no EMAIL placeholder',
    )
    expect(() => scrubVerdict({ items: [{ id: 'smoke-1', scrubbed_text: 'x' }] })).toThrow(
      'without a map_handle',
    )
  })

  it('takes back exactly the original, nothing else', () => {
    const original = 'Please ask Maria Jensen to email maria.jensen@example.com before Friday.'
    expect(() => rehydrateVerdict({ items: [{ id: 'smoke-1', text: original }] })).not.toThrow()
    expect(() => rehydrateVerdict({ items: [{ id: 'smoke-1', text: `${original} ` }] })).toThrow(
      'instead of the original sentence',
    )
    expect(() =>
      rehydrateVerdict({ items: [{ id: 'smoke-1', text: original.replace('Maria Jensen', '[PERSON_1]') }] }),
    ).toThrow('/rehydrate gave "Please ask [PERSON_1] to email')
  })
})
