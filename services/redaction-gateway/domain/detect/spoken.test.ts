import { describe, expect, it } from 'vitest'
import { normaliseSpokenDigits } from './spoken.ts'

function spanOf(text: string, found: string): string {
  const spoken = normaliseSpokenDigits(text)
  const at = spoken.text.indexOf(found)
  expect(at).toBeGreaterThanOrEqual(0)
  const [start, end] = spoken.toOriginal(at, at + found.length)
  return text.slice(start, end)
}

describe('normaliseSpokenDigits', () => {
  it('rewrites spelled digits, joining words and marking spoken groups', () => {
    const text = 's s n is one two three, four five, six seven eight nine'
    expect(normaliseSpokenDigits(text).text).toBe('s s n is 123-45-6789')
    expect(spanOf(text, '123-45-6789')).toBe('one two three, four five, six seven eight nine')
  })

  it('maps every rewritten span back onto the original words', () => {
    const text = 'Card: Four One one one. one one one one then done'
    expect(normaliseSpokenDigits(text).text).toBe('Card: 4111-1111 then done')
    expect(spanOf(text, '1111 then')).toBe('one one one one then')
    expect(spanOf(text, 'done')).toBe('done')
  })

  it('reads double and triple, oh as zero inside a number, and mixes written digits', () => {
    expect(normaliseSpokenDigits('call double five oh 7 three').text).toBe('call 55073')
    expect(normaliseSpokenDigits('triple nine one').text).toBe('9991')
  })

  it('leaves single number words, interjections and plain digits alone', () => {
    const text = 'Oh, one more thing: nine. Oh well, we met at 10 30.'
    const spoken = normaliseSpokenDigits(text)
    expect(spoken.text).toBe(text)
    expect(spoken.changed).toBe(false)
  })

  it('keeps "oh" an interjection at the edge of a number', () => {
    expect(normaliseSpokenDigits('seven eight nine. oh well').text).toBe('789. oh well')
  })
})
