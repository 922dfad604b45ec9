import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { CHUNK_ID_NAMESPACE, chunkId, sha256Hex, uuidV5 } from './ids.ts'

/** RFC 4122 §4.3 written out again, on hex strings, to check the implementation against. */
function referenceV5(name: string, namespace: string): string {
  const digest = createHash('sha1')
    .update(Buffer.concat([Buffer.from(namespace.replaceAll('-', ''), 'hex'), Buffer.from(name, 'utf8')]))
    .digest('hex')
  const timeHi = ((Number.parseInt(digest.slice(12, 16), 16) & 0x0fff) | 0x5000).toString(16).padStart(4, '0')
  const clockSeq = ((Number.parseInt(digest.slice(16, 20), 16) & 0x3fff) | 0x8000)
    .toString(16)
    .padStart(4, '0')
  return [digest.slice(0, 8), digest.slice(8, 12), timeHi, clockSeq, digest.slice(20, 32)].join('-')
}

describe('chunk ids', () => {
  it('is RFC 4122 version 5: the DNS namespace example gives the published UUID', () => {
    // Python's uuid documentation: uuid5(NAMESPACE_DNS, 'python.org').
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '886313e1-3b8a-5372-9b90-0c9aee199e5d',
    )
  })

  it('agrees with an independent v5 over many names, including non-ASCII ones', () => {
    for (const name of ['', 'a', 'doc-1', 'Ünïcødé ✓ 𝄞', 'x'.repeat(500)])
      expect(uuidV5(name, CHUNK_ID_NAMESPACE)).toBe(referenceV5(name, CHUNK_ID_NAMESPACE))
  })

  it('is stable across runs: a fixed chunk has a fixed id (computed apart with Python uuid.uuid5)', () => {
    const contentHash = sha256Hex('Hello world.')
    expect(contentHash).toBe('aa3ec16e6acc809d8b2818662276256abfd2f1b441cb51574933f3d4bd115d11')
    expect(chunkId({ docId: 'doc-1', index: 0, contentHash })).toBe('06982dfc-5fb4-5d65-a5b7-144f0e7d88ce')
  })

  it('differs with the tenant, the document, the index or the content', () => {
    const base = { docId: 'd', index: 0, contentHash: sha256Hex('t') }
    const ids = new Set([
      chunkId(base),
      chunkId({ ...base, tenant: 'acme' }),
      chunkId({ ...base, docId: 'e' }),
      chunkId({ ...base, index: 1 }),
      chunkId({ ...base, contentHash: sha256Hex('u') }),
      // A document id that would collide with naive concatenation of tenant and id.
      chunkId({ ...base, tenant: 'a', docId: 'bd' }),
      chunkId({ ...base, tenant: 'ab', docId: 'd' }),
    ])
    expect(ids.size).toBe(7)
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })
})
