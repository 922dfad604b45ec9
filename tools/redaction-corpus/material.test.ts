/** The generated material is what it claims to be: every checksum a detector could verify holds. */
import { sha256 } from '@noble/hashes/sha2.js'
import { bech32, bech32m, createBase58check } from '@scure/base'
import { validateMnemonic } from '@scure/bip39'
import { wordlist } from '@scure/bip39/wordlists/english.js'
import { isValidPhoneNumber } from 'libphonenumber-js'
import { describe, expect, it } from 'vitest'
import {
  abaValid,
  ibanValid,
  luhnValid,
  ssnValid,
} from '../../services/redaction-gateway/domain/detect/tier1-checks.ts'
import * as btc from './bitcoin.ts'
import { createDice } from './random.ts'
import { phone } from './structured.ts'
import * as t1 from './tier1.ts'

const base58check = createBase58check(sha256)
const dice = () => createDice(42)

describe('bitcoin material', () => {
  it('base58check addresses, WIF and extended keys decode with the right version and size', () => {
    const d = dice()
    for (let i = 0; i < 20; i++) {
      expect(base58check.decode(btc.base58Address(d, 'p2pkh', 'main'))[0]).toBe(0x00)
      expect(base58check.decode(btc.base58Address(d, 'p2sh', 'test'))[0]).toBe(0xc4)
      expect(btc.wif(d, 'main', true)).toMatch(/^[KL]/)
      expect(btc.wif(d, 'main', false)).toMatch(/^5/)
      expect(base58check.decode(btc.extendedKey(d, 'zpub'))).toHaveLength(78)
      expect(btc.extendedKey(d, 'tpub')).toMatch(/^tpub/)
      expect(btc.extendedKey(d, 'xprv')).toMatch(/^xprv/)
    }
  })

  it('segwit addresses carry a valid bech32 (v0) or bech32m (taproot) checksum on every network', () => {
    const d = dice()
    expect(bech32.decode(btc.segwitAddress(d, 'p2wpkh', 'main')).prefix).toBe('bc')
    expect(bech32.decode(btc.segwitAddress(d, 'p2wsh', 'regtest')).prefix).toBe('bcrt')
    const taproot = btc.segwitAddress(d, 'p2tr', 'test')
    expect(taproot).toMatch(/^tb1p/)
    expect(bech32m.decode(taproot).words[0]).toBe(1)
  })

  it('descriptors carry the BIP380 checksum', () => {
    // The specification's own example.
    expect(btc.descriptorChecksum('raw(deadbeef)')).toBe('89f8spxm')
    expect(btc.descriptor(dice())).toMatch(/^w(?:pkh|sh)\(.+\)#[a-z0-9]{8}$/)
  })

  it('invoices and LNURLs are bech32 with a valid checksum; mnemonics pass BIP39', () => {
    const d = dice()
    expect(bech32.decode(btc.lightningInvoice(d, 'main'), false).prefix).toMatch(/^lnbc/)
    expect(bech32.decode(btc.lnurl(d).toLowerCase(), false).prefix).toBe('lnurl')
    expect(validateMnemonic(btc.mnemonic(d, 24), wordlist)).toBe(true)
    expect(btc.txid(d)).toMatch(/^[0-9a-f]{64}$/)
  })
})

describe('Tier-1 material', () => {
  it('routing numbers, IBANs, cards and SSNs pass their checks', () => {
    const d = dice()
    for (let i = 0; i < 50; i++) {
      expect(abaValid(t1.abaRouting(d))).toBe(true)
      expect(ibanValid(t1.iban(d, true).replace(/ /g, ''))).toBe(true)
      expect(luhnValid(t1.cardNumber(d, ' ').replace(/ /g, ''))).toBe(true)
      expect(ssnValid(t1.ssn(d, ''))).toBe(true)
    }
  })

  it('every provider-shaped secret and key block is visibly fake', () => {
    const d = dice()
    for (const [name, make] of Object.entries(t1.SECRET_SHAPES))
      if (name !== 'jwt') expect(make(d), name).toContain('EXAMPLE')
    expect(t1.SECRET_SHAPES.jwt!(d)).toMatch(/^eyJ/)
    expect(t1.pemBlock(d)).toContain('EXAMPLEKEY')
  })
})

it('phones are valid numbers for their region', () => {
  const d = dice()
  for (let i = 0; i < 30; i++) {
    const n = phone(d)
    if (n.startsWith('+')) expect(isValidPhoneNumber(n), n).toBe(true)
    else
      expect(
        ['US', 'GB', 'DE', 'CH'].some((r) => isValidPhoneNumber(n, r as 'US')),
        n,
      ).toBe(true)
  }
})
