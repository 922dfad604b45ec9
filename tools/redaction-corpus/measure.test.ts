/** The leak measure sees what it must: a kept value, a half-masked number, a tokenised Tier-1 value, a missed name. */
import { describe, expect, it } from 'vitest'
import { alignScrubbed } from './align.ts'
import { DocBuilder } from './builder.ts'
import { measure } from './measure.ts'

function doc() {
  const b = new DocBuilder()
  b.add('Hi ').mention('names', 'person', 'Adaeze Okonkwo', { form: 'full', known: true }).add(', SSN ')
  b.mention('tier1', 'ssn', '123-45-6789', { drop: true }).add(', card ')
  b.mention('tier1', 'card_number', '4111 1111 1111 1111', { drop: true }).add(', mail ')
  b.mention('structured', 'email', 'ada@example.com')
    .add(' on ')
    .mention('public', 'public', 'Monday')
    .add('.')
  return b.build('d1', 'crm', { persons: ['Adaeze Okonkwo'] })
}
const run = (scrubbed: string) => {
  const d = doc()
  return measure('unit', [{ doc: d, scrubbed, regions: alignScrubbed(d.text, scrubbed) }])
}

describe('measure', () => {
  it('counts nothing when every value is replaced as it should be', () => {
    const r = run('Hi [PERSON_1], SSN [REDACTED], card [REDACTED], mail [EMAIL_1] on Monday.')
    expect(r.classes.tier1).toMatchObject({ mentions: 2, leaked: 0, partial: 0, tokenised: 0 })
    expect(r.classes.structured).toMatchObject({ mentions: 1, leaked: 0 })
    expect(r.names).toMatchObject({ recall: 1, precision: 1, known: { mentions: 1, leaked: 0 } })
    expect(r.public).toMatchObject({ mentions: 1, scrubbed: 0 })
  })

  it('sees a value left whole, a number mostly kept, and Tier-1 material tokenised', () => {
    const r = run('Hi [PERSON_1], SSN 123-45-6789, card 4111 1111 [REDACTED], mail [DIGITS_1] on Monday.')
    expect(r.classes.tier1.byType).toEqual({
      ssn: { mentions: 1, leaked: 1, partial: 1, tokenised: 0 },
      card_number: { mentions: 1, leaked: 0, partial: 1, tokenised: 0 },
    })
    expect(r.classes.tier1.documentLeakRate).toBe(1)
    const tokenised = run('Hi [PERSON_1], SSN [DIGITS_1], card [REDACTED], mail [EMAIL_1] on Monday.')
    expect(tokenised.classes.tier1.tokenised).toBe(1)
    const mostlyKept = run(
      'Hi [PERSON_1], SSN [REDACTED], card 4111 1111 1111 [REDACTED], mail [EMAIL_1] on Monday.',
    )
    expect(mostlyKept.classes.tier1.leaked).toBe(1)
  })

  it('sees a value that survives elsewhere in the text, even where its own span was replaced', () => {
    const b = new DocBuilder().add('cc ADA@example.com; to ')
    const d = b.mention('structured', 'email', 'ada@example.com').add('.').build('d2', 'email', {})
    const scrubbed = 'cc ADA@example.com; to [EMAIL_1].'
    const r = measure('unit', [{ doc: d, scrubbed, regions: alignScrubbed(d.text, scrubbed) }])
    expect(r.classes.structured).toMatchObject({ mentions: 1, leaked: 1, partial: 0 })
  })

  it('sees a name whose surname survives, and a name token over a public term', () => {
    const r = run('Hi [PERSON_1] Okonkwo, SSN [REDACTED], card [REDACTED], mail [EMAIL_1] on [PERSON_2].')
    expect(r.names).toMatchObject({ mentions: 1, masked: 0, recall: 0, known: { leaked: 1 } })
    expect(r.names.precision).toBe(0.5)
    expect(r.names.topFalsePositives).toEqual([{ pattern: 'PERSON: Monday', count: 1 }])
    expect(r.public.scrubbed).toBe(1)
  })
})
