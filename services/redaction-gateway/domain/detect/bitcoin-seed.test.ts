import { entropyToMnemonic } from '@scure/bip39'
import { wordlist } from '@scure/bip39/wordlists/english.js'
import { describe, expect, it } from 'vitest'
import { detectSeedPhrases } from './bitcoin-seed.ts'

// BIP39 test-vector entropies (all zeros, all 0x7f, all 0x80), every length.
const mnemonic = (byte: number, bytes: number) =>
  entropyToMnemonic(new Uint8Array(bytes).fill(byte), wordlist)

function seeds(text: string): string[] {
  return detectSeedPhrases(text).map((d) => {
    expect(text.slice(d.start, d.end)).toBe(d.value)
    return d.value
  })
}

describe('detectSeedPhrases', () => {
  it('finds checksum-valid 12–24-word phrases with full confidence', () => {
    for (const bytes of [16, 20, 24, 28, 32]) {
      for (const byte of [0x00, 0x7f, 0x80]) {
        const phrase = mnemonic(byte, bytes)
        const [hit] = detectSeedPhrases(`Here it is: ${phrase}. Keep it safe.`)
        expect(hit).toMatchObject({ tier: 1, kind: 'seed_phrase', value: phrase })
        expect(hit?.score).toBeGreaterThan(0.95)
      }
    }
  })

  it('finds phrases in upper case, comma separated, numbered, or spoken with numbering words', () => {
    const words = mnemonic(0x7f, 16).split(' ')
    expect(seeds(words.join(' ').toUpperCase())).toHaveLength(1)
    expect(seeds(words.join(', '))).toEqual([words.join(', ')])
    const numbered = words.map((w, i) => `${i + 1}. ${w}`).join(' ')
    expect(seeds(numbered)).toEqual([numbered.slice(3)])
    const listed = words.map((w, i) => `${i + 1}) ${w}`).join('\n')
    expect(seeds(listed)).toEqual([listed.slice(3)])
    const spoken =
      'word one legal, word two winner, word three thank, word four year, word five wave, word six sausage'
    expect(seeds(`the words are ${spoken}`)).toEqual([spoken])
  })

  it('drops six or more wordlist words in a row even without a checksum', () => {
    const [hit] = detectSeedPhrases('my seed is abandon ability able about above absent')
    expect(hit?.value).toBe('abandon ability able about above absent')
    const [broken] = detectSeedPhrases(Array(12).fill('abandon').join(' '))
    expect(broken?.score).toBeLessThan(0.95)
    expect(broken?.kind).toBe('seed_phrase')
  })

  it('needs only four words after a seed label', () => {
    expect(seeds('recovery phrase: abandon ability able about')).toEqual(['abandon ability able about'])
    expect(seeds('I talked about abandon ability able about')).toEqual([])
  })

  it('does not fire on spelled digits, which are wordlist words too', () => {
    expect(seeds('s s n is one two three, four five, six seven eight nine zero one two')).toEqual([])
  })

  it('does not fire on normal English with a few wordlist words', () => {
    const prose = [
      'Met the client today to review the budget; she wants to move some cash into the bond fund before',
      'the end of the year. Her husband is retiring in March and they plan to travel, so liquidity matters.',
      'We agreed to follow up next week with a draft of the new allocation and a summary of the fees.',
      'Action items: send the report, call the accountant about the trust, and confirm the meeting time.',
      'He said the market was volatile but he is comfortable with a moderate risk level for now.',
    ].join(' ')
    expect(seeds(prose)).toEqual([])
  })
})
