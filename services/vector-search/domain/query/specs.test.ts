import { describe, expect, it } from 'vitest'
import type { CollectionInfo, VectorStore } from '../store/ports.ts'
import { cachedSpecs } from './specs.ts'

function countingStore(infos: Map<string, CollectionInfo>) {
  const store = {
    asked: 0,
    getCollection: async (name: string) => {
      store.asked++
      return infos.get(name) ?? null
    },
  }
  return store
}

const info: CollectionInfo = {
  name: 'notes',
  dense: { size: 4, distance: 'Cosine' },
  sparse: { idf: false },
  indexes: [],
  points: 3,
}

describe('cachedSpecs', () => {
  it('keeps a found spec for the TTL (without its count), never a miss, and forgets on request', async () => {
    const infos = new Map<string, CollectionInfo>()
    const store = countingStore(infos)
    let now = 0
    const specs = cachedSpecs(store as unknown as VectorStore, 1000, () => now)
    expect(await specs.get('notes')).toBeNull()
    infos.set('notes', info)
    const { points: _points, ...spec } = info
    expect(await specs.get('notes')).toEqual(spec)
    expect(await specs.get('notes')).toEqual(spec)
    expect(store.asked).toBe(2)
    now = 1001
    await specs.get('notes')
    expect(store.asked).toBe(3)
    specs.forget('notes')
    infos.delete('notes')
    expect(await specs.get('notes')).toBeNull()
  })
})
