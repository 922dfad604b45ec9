import { describe, expect, it } from 'vitest'
import { CHARS_PER_TOKEN, chunkDocument, sectionsOf } from './chunking.ts'

const options = { sizeTokens: 40, overlapTokens: 8 }
const budget = options.sizeTokens * CHARS_PER_TOKEN

describe('sections', () => {
  it('cuts at ATX headings with their path, ignoring # lines inside code fences', () => {
    const text = 'Preface.\n# A\nintro\n## B\nbody\n```\n# not a heading\n```\n# C\nend'
    expect(sectionsOf(text).map((s) => s.heading)).toEqual([[], ['A'], ['A', 'B'], ['C']])
  })

  it('drops blank sections and trims closing hashes from titles', () => {
    const text = '\n\n# Title ##\n\ntext'
    expect(sectionsOf(text).map((s) => s.heading)).toEqual([['Title']])
  })
})

describe('chunkDocument', () => {
  it('keeps a short document whole, with its offsets', () => {
    const text = '  A short note.  '
    expect(chunkDocument(text, options)).toEqual([{ text: 'A short note.', heading: [], start: 2, end: 15 }])
  })

  it('gives blank text no chunks', () => {
    expect(chunkDocument(' \n\t ', options)).toEqual([])
  })

  it('never crosses a heading, and every chunk is the text at its offsets', () => {
    const text = `# One\n${'alpha beta. '.repeat(30)}\n# Two\n${'gamma delta. '.repeat(30)}`
    const chunks = chunkDocument(text, options)
    for (const c of chunks) {
      expect(text.slice(c.start, c.end)).toBe(c.text)
      expect(c.text.length).toBeLessThanOrEqual(budget)
      const inTwo = c.start >= text.indexOf('# Two')
      expect(c.heading).toEqual([inTwo ? 'Two' : 'One'])
      if (!inTwo) expect(c.end).toBeLessThanOrEqual(text.indexOf('# Two'))
    }
  })

  it('prefers paragraph boundaries over sentence ones', () => {
    const para = (w: string) => `${w} ${w}. `.repeat(6).trim()
    const text = [para('aa'), para('bb'), para('cc'), para('dd')].join('\n\n')
    const chunks = chunkDocument(text, { sizeTokens: 40, overlapTokens: 0 })
    expect(chunks.every((c) => /^(\w\w) \1\./.test(c.text) && c.text.endsWith('.'))).toBe(true)
  })

  it('overlaps consecutive chunks of a section, starting the overlap at a word (or sentence) start', () => {
    const text = Array.from({ length: 60 }, (_, i) => `Sentence ${i} ends here.`).join(' ')
    const chunks = chunkDocument(text, options)
    expect(chunks.length).toBeGreaterThan(3)
    for (let i = 1; i < chunks.length; i++) {
      const [prev, next] = [chunks[i - 1]!, chunks[i]!]
      expect(next.start).toBeLessThan(prev.end)
      expect(prev.end - next.start).toBeLessThanOrEqual(options.overlapTokens * CHARS_PER_TOKEN)
      expect(next.text).toMatch(/^Sentence \d+/)
      expect(next.text.length).toBeLessThanOrEqual(budget)
    }
    // Nothing of the text is lost between chunks.
    expect(chunks[0]!.start).toBe(0)
    expect(chunks.at(-1)!.end).toBe(text.length)
  })

  it('cuts words only when one word is longer than a chunk, and never inside a surrogate pair', () => {
    const text = `short ${'😀'.repeat(200)} tail`
    const chunks = chunkDocument(text, { sizeTokens: 10, overlapTokens: 0 })
    for (const c of chunks) {
      expect(c.text.length).toBeLessThanOrEqual(40)
      expect(c.text).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/)
    }
    expect(chunks.map((c) => c.text).join('')).toBe(text.replaceAll(' ', ''))
  })

  it('is deterministic', () => {
    const text = `# H\n${'lorem ipsum dolor sit amet. '.repeat(80)}`
    expect(chunkDocument(text, options)).toEqual(chunkDocument(text, options))
  })
})
