/**
 * Valid bitcoin material, made the way wallets make it: base58check and bech32/bech32m with real
 * checksums, BIP32 serialisations, BIP39 mnemonics, BOLT11-shaped invoices whose bech32 checksum
 * holds, LNURLs and BIP380 descriptor checksums. The keys are random bytes from the corpus seed:
 * they are not keys to anything, but every checksum a detector can verify is right.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { bech32, bech32m, createBase58check, hex, utf8 } from '@scure/base'
import { entropyToMnemonic } from '@scure/bip39'
import { wordlist } from '@scure/bip39/wordlists/english.js'
import type { Dice } from './random.ts'

const base58check = createBase58check(sha256)

export type Network = 'main' | 'test' | 'regtest'
const HRP: Record<Network, string> = { main: 'bc', test: 'tb', regtest: 'bcrt' }

const join = (...parts: (Uint8Array | number[])[]) => Uint8Array.from(parts.flatMap((p) => [...p]))

export function base58Address(dice: Dice, script: 'p2pkh' | 'p2sh', network: Network): string {
  const version = network === 'main' ? (script === 'p2pkh' ? 0x00 : 0x05) : script === 'p2pkh' ? 0x6f : 0xc4
  return base58check.encode(join([version], dice.bytes(20)))
}

export function segwitAddress(dice: Dice, script: 'p2wpkh' | 'p2wsh' | 'p2tr', network: Network): string {
  const program = dice.bytes(script === 'p2wpkh' ? 20 : 32)
  const version = script === 'p2tr' ? 1 : 0
  const encoder = version === 0 ? bech32 : bech32m
  return encoder.encode(HRP[network], [version, ...bech32.toWords(program)])
}

const EXTENDED_VERSIONS = {
  xpub: 0x0488b21e,
  ypub: 0x049d7cb2,
  zpub: 0x04b24746,
  tpub: 0x043587cf,
  xprv: 0x0488ade4,
  tprv: 0x04358394,
} as const

export function extendedKey(dice: Dice, kind: keyof typeof EXTENDED_VERSIONS): string {
  const v = EXTENDED_VERSIONS[kind]
  const version = [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]
  const key = kind.endsWith('prv') ? join([0x00], dice.bytes(32)) : join([dice.pick([2, 3])], dice.bytes(32))
  return base58check.encode(join(version, [3], dice.bytes(4), [0x80, 0, 0, 0], dice.bytes(32), key))
}

export function wif(dice: Dice, network: Network, compressed = true): string {
  const version = network === 'main' ? 0x80 : 0xef
  return base58check.encode(join([version], dice.bytes(32), compressed ? [0x01] : []))
}

export function txid(dice: Dice): string {
  return hex.encode(dice.bytes(32))
}

export function mnemonic(dice: Dice, words: 12 | 24): string {
  return entropyToMnemonic(dice.bytes(words === 12 ? 16 : 32), wordlist)
}

// BIP380 descriptor checksum.
const INPUT_CHARSET =
  '0123456789()[],\'/*abcdefgh@:$%{}IJKLMNOPQRSTUVWXYZ&+-.;<=>?!^_|~ijklmnopqrstuvwxyzABCDEFGH`#"\\ '
const CHECKSUM_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l'
const GENERATOR = [0xf5dee51989n, 0xa9fdca3312n, 0x1bab10e32dn, 0x3706b1677an, 0x644d626ffdn]

function polymod(symbols: number[]): bigint {
  let chk = 1n
  for (const value of symbols) {
    const top = chk >> 35n
    chk = ((chk & 0x7ffffffffn) << 5n) ^ BigInt(value)
    for (let i = 0; i < 5; i++) if ((top >> BigInt(i)) & 1n) chk ^= GENERATOR[i]!
  }
  return chk
}

export function descriptorChecksum(descriptor: string): string {
  const symbols: number[] = []
  let groups: number[] = []
  for (const c of descriptor) {
    const v = INPUT_CHARSET.indexOf(c)
    if (v < 0) throw new Error(`not a descriptor character: ${c}`)
    symbols.push(v & 31)
    groups.push(v >> 5)
    if (groups.length === 3) {
      symbols.push(groups[0]! * 9 + groups[1]! * 3 + groups[2]!)
      groups = []
    }
  }
  if (groups.length === 1) symbols.push(groups[0]!)
  if (groups.length === 2) symbols.push(groups[0]! * 3 + groups[1]!)
  const checksum = polymod([...symbols, 0, 0, 0, 0, 0, 0, 0, 0]) ^ 1n
  return Array.from(
    { length: 8 },
    (_, i) => CHECKSUM_CHARSET[Number((checksum >> BigInt(5 * (7 - i))) & 31n)],
  ).join('')
}

export function descriptor(dice: Dice): string {
  const origin = `[${hex.encode(dice.bytes(4))}/84h/0h/0h]`
  const body = dice.chance(0.5)
    ? `wpkh(${origin}${extendedKey(dice, 'xpub')}/0/*)`
    : `wsh(sortedmulti(2,${origin}${extendedKey(dice, 'xpub')}/0/*,${extendedKey(dice, 'xpub')}/0/*))`
  return `${body}#${descriptorChecksum(body)}`
}

/** BOLT11 layout: timestamp, a payment hash (p) and a description (d), then a 65-byte signature. */
export function lightningInvoice(dice: Dice, network: Network): string {
  const prefix = { main: 'lnbc', test: 'lntb', regtest: 'lnbcrt' }[network]
  const hrp = `${prefix}${dice.pick(['2500u', '20m', '150n', '1m', '500u'])}`
  const timestamp = Array.from({ length: 7 }, () => dice.int(0, 31))
  const hash = bech32.toWords(dice.bytes(32))
  const description = bech32.toWords(utf8.decode(dice.pick(['coffee', 'invoice 42', 'consulting'])))
  const field = (tag: number, data: number[]) => [tag, data.length >> 5, data.length & 31, ...data]
  const signature = bech32.toWords(dice.bytes(65))
  const words = [...timestamp, ...field(1, hash), ...field(13, description), ...signature]
  return bech32.encode(hrp, words, false)
}

export function lnurl(dice: Dice): string {
  const url = `https://pay.example.com/lnurlp/${dice.letters(10, 'abcdefghijklmnopqrstuvwxyz0123456789')}`
  const encoded = bech32.encode('lnurl', bech32.toWords(utf8.decode(url)), false)
  return dice.chance(0.7) ? encoded.toUpperCase() : encoded
}
