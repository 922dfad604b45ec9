import { describe, expect, it } from 'vitest'
import { buildModelList, DEFAULT_STT_MODEL, parseModelIds } from './models.ts'

describe('buildModelList', () => {
  it('lists the STT models first, then one entry per voice, in the OpenAI shape', () => {
    const list = buildModelList({
      sttModels: [DEFAULT_STT_MODEL],
      voices: [
        { id: 'af_heart', name: 'af_heart' },
        { id: 'bm_george', name: 'George' },
      ],
      created: 1_700_000_000,
    })
    expect(list).toEqual({
      object: 'list',
      data: [
        { id: DEFAULT_STT_MODEL, object: 'model', created: 1_700_000_000, owned_by: 'parakeet' },
        { id: 'af_heart', object: 'model', created: 1_700_000_000, owned_by: 'kokoro' },
        { id: 'bm_george', object: 'model', created: 1_700_000_000, owned_by: 'kokoro' },
      ],
    })
  })

  it('never lists an id twice', () => {
    const list = buildModelList({ sttModels: ['a', 'a'], voices: [{ id: 'a', name: 'a' }], created: 0 })
    expect(list.data.map((m) => m.id)).toEqual(['a'])
  })
})

describe('parseModelIds', () => {
  it('reads ids from an OpenAI list and ignores anything else', () => {
    expect(
      parseModelIds({
        data: [{ id: 'nvidia/parakeet-tdt-0.6b-v3' }, { id: '' }, { nope: 1 }, { id: 'x' }, { id: 'x' }],
      }),
    ).toEqual(['nvidia/parakeet-tdt-0.6b-v3', 'x'])
    expect(parseModelIds({ models: ['a'] })).toEqual([])
    expect(parseModelIds('text')).toEqual([])
  })
})
