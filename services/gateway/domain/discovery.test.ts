import { describe, expect, it } from 'vitest'
import type { ClusterStatus, UpstreamStatus } from './cluster-status.ts'
import { buildEndpoints, mergeModelLists, statusBody } from './discovery.ts'

const upstream = (name: UpstreamStatus['name'], over: Partial<UpstreamStatus> = {}): UpstreamStatus => ({
  name,
  kind: 'llm',
  state: 'up',
  ready: true,
  disabled: false,
  base_url: `http://<spark-ip>/${name}`,
  model: null,
  detail: 'Working.',
  via: 'swap-controller',
  ...over,
})

const status = (upstreams: UpstreamStatus[], loaded: string | null): ClusterStatus => ({
  simulated: false,
  overall: 'ok',
  summary: 'Everything is working',
  loaded_model: loaded,
  services: [],
  upstreams,
  nodes: [],
  checked_at: '2026-01-01T00:00:00.000Z',
})

describe('/api/endpoints shape', () => {
  it('keys every upstream by name with the earlier fields', () => {
    const endpoints = buildEndpoints(
      status(
        [
          upstream('vllm', { model: 'Qwen/Qwen3-8B' }),
          upstream('parakeet', { kind: 'stt', state: 'down', ready: false, model: 'parakeet-tdt' }),
          upstream('kokoro', { kind: 'tts', state: 'disabled', ready: false, disabled: true }),
        ],
        'Qwen/Qwen3-8B',
      ),
    )
    expect(Object.keys(endpoints)).toEqual(['vllm', 'parakeet', 'kokoro'])
    expect(endpoints.vllm).toEqual({
      name: 'vllm',
      kind: 'llm',
      base_url: 'http://<spark-ip>/vllm',
      ready: true,
      status: 'ready',
      model: 'Qwen/Qwen3-8B',
      disabled: false,
    })
    expect(endpoints.parakeet).toMatchObject({
      ready: false,
      status: 'not_ready',
      base_url: 'http://<spark-ip>/parakeet',
    })
    expect(endpoints.kokoro).toMatchObject({ ready: false, status: 'disabled', disabled: true })
  })

  it('names no LLM while none is loaded', () => {
    const endpoints = buildEndpoints(
      status([upstream('vllm', { model: 'stale-model', state: 'down', ready: false })], null),
    )
    expect(endpoints.vllm).toMatchObject({ model: null, ready: false })
  })

  it('adds the earlier `model` field to /api/status', () => {
    expect(statusBody(status([], 'm1'))).toMatchObject({ loaded_model: 'm1', model: 'm1' })
  })
})

describe('/v1/models merge', () => {
  const now = new Date('2026-01-01T00:00:10Z')
  const speech = {
    object: 'list',
    data: [
      { id: 'parakeet-tdt-0.6b-v3', object: 'model', created: 1, owned_by: 'speech-proxy' },
      { id: 'af_heart', object: 'model', created: 1, owned_by: 'kokoro', type: 'voice' },
    ],
  }

  it('keeps the audio entries and adds the loaded LLM', () => {
    const list = mergeModelLists(speech, 'Qwen/Qwen3-8B', now)
    expect(list.object).toBe('list')
    expect(list.data.map((m) => m.id)).toEqual(['parakeet-tdt-0.6b-v3', 'af_heart', 'Qwen/Qwen3-8B'])
    expect(list.data[1]).toMatchObject({ type: 'voice', owned_by: 'kokoro' })
    expect(list.data[2]).toEqual({
      id: 'Qwen/Qwen3-8B',
      object: 'model',
      created: 1767225610,
      owned_by: 'vllm',
    })
  })

  it('answers with what is known when speech-proxy is down or odd', () => {
    expect(mergeModelLists(null, 'm', now).data.map((m) => m.id)).toEqual(['m'])
    expect(mergeModelLists({ data: 'nope' }, null, now).data).toEqual([])
    expect(
      mergeModelLists({ data: [null, 3, { id: '' }, { id: 'ok' }] }, null, now).data.map((m) => m.id),
    ).toEqual(['ok'])
  })

  it('does not list the LLM twice', () => {
    const list = mergeModelLists({ data: [{ id: 'm', object: 'model' }] }, 'm', now)
    expect(list.data).toHaveLength(1)
  })
})
