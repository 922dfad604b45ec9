import { bech32 } from '@scure/base'
import { entropyToMnemonic } from '@scure/bip39'
import { wordlist } from '@scure/bip39/wordlists/english.js'
import { describe, expect, it } from 'vitest'
import { detectCrypto, detectTier1, detectTier1AndCrypto } from './tier1-index.ts'

const CRM_NOTES = `
Call with Priya Raman (CFO) on Tuesday. She confirmed the Q3 board meeting moved to 14 October at 9:30.
They want a proposal for the treasury account by Friday; budget is around $1.2m, possibly 1.5m.
Follow-up items: send the deck, book a demo for the ops team, check whether their bank supports the API.
She mentioned they had a security review last month and the password policy was tightened.
Her assistant can be reached on +1 415 555 0100; the office is at 220 Market Street, suite 4.
Notes from the site visit: 3 warehouses, about 120 staff, shipping 2,000 orders a day.
Next step: legal review of the MSA, then pricing. Risk: a competitor is offering six months free.
Ticket 2024-10-117 is open for the invoice mismatch (invoice 88412, amount 12,400.00 EUR).
Commit 3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39 fixed the export; see the release notes.
`

describe('detectTier1 and detectCrypto', () => {
  it('find nothing in ordinary CRM notes', () => {
    expect(detectTier1(CRM_NOTES)).toEqual([])
    expect(detectCrypto(CRM_NOTES)).toEqual([])
  })

  it('split Tier-1 from Tier-2 crypto, with offsets into the original text', () => {
    const seed = entropyToMnemonic(new Uint8Array(16).fill(0x7f), wordlist)
    const address = bech32.encode('bc', [0, ...bech32.toWords(new Uint8Array(20).fill(7))])
    const text = [
      'Client note: SSN 123-45-6789, routing number 021000021, acct # 99887766.',
      `He read his seed: ${seed}.`,
      `Deposit to ${address}? No, to the usual one.`,
      'API key sk_live_aB3dE5fG7hJ9kL1mN2pQ4rS6 and IBAN DE89 3704 0044 0532 0130 00.',
      `Tx ${'ab'.repeat(32)} confirmed.`,
    ].join('\n')
    const tier1 = detectTier1(text)
    const crypto = detectCrypto(text)
    expect(detectTier1AndCrypto(text)).toEqual({ tier1, crypto })
    expect(tier1.every((d) => d.tier === 1 && d.kind !== null && d.type === null)).toBe(true)
    expect(crypto.every((d) => d.tier === 2 && d.type !== null && d.kind === null)).toBe(true)
    for (const d of [...tier1, ...crypto]) expect(text.slice(d.start, d.end)).toBe(d.value)
    expect(new Set(tier1.map((d) => d.kind))).toEqual(
      new Set(['ssn', 'routing_number', 'account_number', 'seed_phrase', 'api_secret', 'iban']),
    )
    expect(crypto.map((d) => [d.type, d.value])).toEqual([
      ['BTC_ADDR', address],
      ['BTC_TXID', 'ab'.repeat(32)],
    ])
  })

  it('reads spoken Tier-1 numbers and seed phrases from a transcript', () => {
    const transcript =
      'agent: can you confirm the s s n? caller: sure, it is one two three, four five, six seven eight nine. ' +
      'and my seed is abandon ability able about above absent, is that safe to share?'
    const kinds = detectTier1(transcript).map((d) => [d.kind, d.value])
    expect(kinds).toEqual([
      ['ssn', 'one two three, four five, six seven eight nine'],
      ['seed_phrase', 'abandon ability able about above absent'],
    ])
  })

  it('stay linear on pathological input (long digit gaps, repeated headers, long runs, nesting)', () => {
    const inputs = [
      `abandon ${'1234567890'.repeat(5000)}$ ability`,
      '-----BEGIN PRIVATE KEY-----\n'.repeat(2000),
      'abandon '.repeat(5000),
      'wpkh('.repeat(5000),
      `${'sh('.repeat(3000)}x${')'.repeat(3000)}`,
      'password: '.repeat(5000),
      `account ${'is '.repeat(5000)}`,
      'A1b2C3d4E5'.repeat(5000),
    ]
    // A catastrophic regex would take minutes here; the test's timeout is the guard.
    for (const text of inputs) expect(() => detectTier1AndCrypto(text)).not.toThrow()
    expect(detectTier1AndCrypto('abandon '.repeat(5000)).tier1).toHaveLength(1)
  })
})
