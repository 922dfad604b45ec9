import { ripemd160 } from '@noble/hashes/legacy.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { base64, bech32, bech32m, createBase58check, hex, utf8 } from '@scure/base'
import { describe, expect, it } from 'vitest'
import { detectBitcoin } from './bitcoin.ts'
import type { Detection } from './types.ts'

// Vectors are built here from public test material (the secp256k1 generator point, the BIP32 test
// vector 1 master xpub), never real people's addresses.
const b58 = createBase58check(sha256)
const G = hex.decode('0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798')
const HASH160 = ripemd160(sha256(G))
const SCRIPT_HASH = sha256(G)
const KEY = sha256(utf8.decode('not a real key'))
const TV1_XPUB =
  'xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8'

function extendedKey(version: string, isPrivate: boolean): string {
  const base = b58.decode(TV1_XPUB)
  const bytes = new Uint8Array(base)
  bytes.set(hex.decode(version), 0)
  if (isPrivate) bytes.set([0, ...KEY], 45)
  return b58.encode(bytes)
}

const segwit = (hrp: string, version: number, program: Uint8Array) =>
  (version === 0 ? bech32 : bech32m).encode(hrp, [version, ...bech32.toWords(program)])

function only(text: string): Pick<Detection, 'tier' | 'type' | 'kind' | 'value'> {
  const hits = detectBitcoin(text)
  expect(hits).toHaveLength(1)
  const [hit] = hits as [Detection]
  expect(text.slice(hit.start, hit.end)).toBe(hit.value)
  return { tier: hit.tier, type: hit.type, kind: hit.kind, value: hit.value }
}

describe('base58check material', () => {
  it('types P2PKH and P2SH addresses on mainnet and testnet as BTC_ADDR', () => {
    for (const version of [0x00, 0x05, 0x6f, 0xc4]) {
      const address = b58.encode(new Uint8Array([version, ...HASH160]))
      expect(only(`send to ${address}.`)).toEqual({ tier: 2, type: 'BTC_ADDR', kind: null, value: address })
    }
  })

  it('finds WIF private keys, compressed or not, mainnet or testnet, as Tier-1', () => {
    for (const version of [0x80, 0xef]) {
      for (const suffix of [[], [0x01]]) {
        const wif = b58.encode(new Uint8Array([version, ...KEY, ...suffix]))
        expect(only(`import ${wif}`)).toEqual({ tier: 1, type: null, kind: 'private_key', value: wif })
      }
    }
  })

  it('tells extended private from public keys for every version prefix', () => {
    const privates = { xprv: '0488ade4', yprv: '049d7878', zprv: '04b2430c', tprv: '04358394' }
    const publics = {
      xpub: '0488b21e',
      ypub: '049d7cb2',
      zpub: '04b24746',
      tpub: '043587cf',
      upub: '044a5262',
    }
    for (const [prefix, version] of Object.entries(privates)) {
      const key = extendedKey(version, true)
      expect(key.startsWith(prefix)).toBe(true)
      expect(only(key)).toMatchObject({ tier: 1, kind: 'private_key' })
    }
    for (const [prefix, version] of Object.entries({ ...publics, vpub: '045f1cf6' })) {
      const key = extendedKey(version, false)
      expect(key.startsWith(prefix)).toBe(true)
      expect(only(key)).toMatchObject({ tier: 2, type: 'BTC_XPUB' })
    }
  })

  it('keeps an xprv with a broken checksum Tier-1 and takes a key origin with an xpub', () => {
    const xprv = extendedKey('0488ade4', true)
    const typo = `${xprv.slice(0, 40)}${xprv[40] === 'a' ? 'b' : 'a'}${xprv.slice(41)}`
    const hit = detectBitcoin(typo)[0]
    expect(hit).toMatchObject({ tier: 1, kind: 'private_key' })
    expect(hit?.score).toBeLessThan(0.9)
    expect(only(`key [d34db33f/84h/0h/0h]${TV1_XPUB} here`).value).toBe(`[d34db33f/84h/0h/0h]${TV1_XPUB}`)
  })
})

describe('bech32 material', () => {
  it('finds segwit v0 and taproot addresses on every network, in either case', () => {
    const addresses = ['bc', 'tb', 'bcrt'].flatMap((hrp) => [
      segwit(hrp, 0, HASH160),
      segwit(hrp, 0, SCRIPT_HASH),
      segwit(hrp, 1, G.slice(1)),
    ])
    for (const address of addresses) {
      for (const variant of [address, address.toUpperCase()]) {
        expect(only(`(${variant})`)).toEqual({ tier: 2, type: 'BTC_ADDR', kind: null, value: variant })
        expect(detectBitcoin(variant)[0]?.score).toBeGreaterThan(0.9)
      }
    }
  })

  it('scores a checksum-broken, mixed-case, wrong-encoding or truncated address low but still types it', () => {
    const good = segwit('bc', 0, HASH160)
    const broken = `${good.slice(0, -1)}${good.endsWith('q') ? 'p' : 'q'}`
    const mixed = `${good.slice(0, 10).toUpperCase()}${good.slice(10)}`
    const wrongEncoding = bech32m.encode('bc', [0, ...bech32.toWords(HASH160)])
    const lostCharacter = good.slice(0, -1)
    for (const text of [broken, mixed, wrongEncoding, lostCharacter]) {
      const [hit] = detectBitcoin(text)
      expect(hit).toMatchObject({ type: 'BTC_ADDR' })
      expect(hit?.score).toBeLessThan(0.9)
    }
  })

  it('finds Lightning invoices and offers, LNURL, and nostr keys', () => {
    const payload = bech32.toWords(sha256(utf8.decode('invoice')).slice(0, 200))
    const invoice = bech32.encode('lnbc2500u', [...payload, ...payload, ...payload, ...payload], false)
    const testInvoice = bech32.encode('lntb1m', [...payload, ...payload], false)
    const lnurl = bech32.encode(
      'lnurl',
      bech32.toWords(utf8.decode('https://service.example/pay?q=1')),
      false,
    )
    const offer = `lno1${'qgsqvgnwgcg35z6ee2h3yczraddm72xrfua9uve2rlrm9deu7xyfzr'}`
    expect(only(`pay ${invoice} now`)).toMatchObject({ type: 'LN_INVOICE', value: invoice })
    expect(only(testInvoice.toUpperCase())).toMatchObject({ type: 'LN_INVOICE' })
    expect(only(`lightning:${lnurl}`)).toMatchObject({ type: 'LNURL', value: lnurl })
    expect(only(offer)).toMatchObject({ type: 'LN_INVOICE', value: offer })
    const nsec = bech32.encode('nsec', bech32.toWords(KEY))
    const npub = bech32.encode('npub', bech32.toWords(G.slice(1)))
    expect(only(nsec)).toMatchObject({ tier: 1, kind: 'private_key' })
    expect(only(npub)).toMatchObject({ tier: 2, type: 'HANDLE' })
  })
})

describe('hex, descriptors and PSBTs', () => {
  it('types 64-hex as a txid, never a 40-hex git sha, and as a private key after a label', () => {
    const txid = hex.encode(SCRIPT_HASH)
    expect(only(`txid ${txid}`)).toMatchObject({ tier: 2, type: 'BTC_TXID', value: txid })
    expect(only(txid.toUpperCase())).toMatchObject({ type: 'BTC_TXID' })
    expect(detectBitcoin(`commit ${txid.slice(0, 40)} fixed it`)).toEqual([])
    expect(only(`private key: ${hex.encode(KEY)}`)).toMatchObject({ tier: 1, kind: 'private_key' })
  })

  it('finds node pubkeys, also in a node URI', () => {
    const node = hex.encode(G)
    expect(only(`connect ${node}@203.0.113.5:9735`)).toMatchObject({ type: 'MISC', value: node })
  })

  it('finds descriptors with key origins and checksums, Tier-1 when they hold a private key', () => {
    const inner = `[d34db33f/84h/0h/0h]${TV1_XPUB}/0/*`
    for (const descriptor of [`wpkh(${inner})#8fhd9pwu`, `sh(wpkh(${inner}))`, `tr(${inner})`]) {
      // The xpub inside is found too; the resolver keeps the larger span.
      const hits = detectBitcoin(`import ${descriptor} please`).map((h) => [h.type, h.value])
      expect(hits).toEqual([
        ['BTC_DESCRIPTOR', descriptor],
        ['BTC_XPUB', `[d34db33f/84h/0h/0h]${TV1_XPUB}`],
      ])
    }
    const secret = `tr(${extendedKey('04358394', true)}/86h/1h/0h/0/*)`
    const hits = detectBitcoin(secret)
    expect(hits.filter((h) => h.tier === 1).map((h) => h.value)).toContain(secret)
    expect(detectBitcoin('call pk(the thing) and tr(x)')).toEqual([])
  })

  it('finds PSBTs as MISC', () => {
    const psbt = base64.encode(new Uint8Array([0x70, 0x73, 0x62, 0x74, 0xff, 0x01, 0x00, ...KEY]))
    expect(psbt.startsWith('cHNidP8')).toBe(true)
    expect(only(`sign this: ${psbt}`)).toMatchObject({ tier: 2, type: 'MISC', value: psbt })
  })
})
