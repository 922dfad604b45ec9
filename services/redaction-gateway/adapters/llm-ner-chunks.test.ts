import { describe, expect, it } from 'vitest'
import { splitChunks } from './llm-ner-chunks.ts'

describe('cutting an item for the name pass', () => {
  it('keeps a short item whole and skips blank ones', () => {
    expect(splitChunks('Call Ana.', 100)).toEqual(['Call Ana.'])
    expect(splitChunks(' \n ', 100)).toEqual([])
  })

  it('cuts at a line break, else after a sentence, else at a space; the pieces add up to the text', () => {
    const lines = `${'a'.repeat(60)}\n${'b'.repeat(60)}`
    expect(splitChunks(lines, 100)).toEqual([`${'a'.repeat(60)}\n`, 'b'.repeat(60)])
    const sentences = 'Ana Lima met Bo. Then they left for Porto. And more words follow here.'
    const pieces = splitChunks(sentences, 50)
    expect(pieces[0]).toBe('Ana Lima met Bo. Then they left for Porto. ')
    expect(pieces.join('')).toBe(sentences)
    const words = splitChunks('alpha beta gamma delta epsilon zeta', 20)
    expect(words).toEqual(['alpha beta gamma ', 'delta epsilon zeta'])
    expect(words.join('')).toBe('alpha beta gamma delta epsilon zeta')
    expect(words[0]).toBe('alpha beta gamma ')
  })

  it('cuts inside a word only when it must, never inside a surrogate pair', () => {
    const emoji = `${'x'.repeat(9)}😀${'y'.repeat(10)}`
    const pieces = splitChunks(emoji, 10)
    expect(pieces.join('')).toBe(emoji)
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(10)
    expect(pieces[0]).toBe('x'.repeat(9))
  })
})
