import { describe, expect, it } from 'vitest'
import type { CapabilityStatus } from './capability-status.ts'
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

const capability = (
  name: string,
  service: CapabilityStatus['service'],
  needs: string[],
  state: CapabilityStatus['state'],
): CapabilityStatus => ({
  name,
  title: name,
  service,
  state,
  ready: state === 'up' || state === 'busy',
  detail: '',
  needs,
  built: state === 'not_built' ? [] : ['GET /x'],
  planned: [],
})

/** As the services declare them today: chat built, transcription and TTS not, the voice list built. */
const TODAY = [
  capability('chat', 'swap-controller', ['vllm'], 'up'),
  capability('voices', 'speech-proxy', ['kokoro'], 'up'),
  capability('transcription', 'speech-proxy', ['parakeet'], 'not_built'),
  capability('tts', 'speech-proxy', ['kokoro'], 'not_built'),
]

const status = (
  upstreams: UpstreamStatus[],
  loaded: string | null,
  capabilities: CapabilityStatus[] = TODAY,
): ClusterStatus => ({
  simulated: false,
  overall: 'ok',
  summary: 'Everything is working',
  loaded_model: loaded,
  services: [],
  upstreams,
  nodes: [],
  capabilities,
  checked_at: '2026-01-01T00:00:00.000Z',
  switching: null,
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
      capabilities: { chat: 'up' },
    })
    expect(endpoints.parakeet).toMatchObject({
      ready: false,
      status: 'not_ready',
      base_url: 'http://<spark-ip>/parakeet',
    })
    expect(endpoints.kokoro).toMatchObject({ ready: false, status: 'disabled', disabled: true })
  })

  it('calls an upstream ready only while a built capability that needs it is up', () => {
    const speech = [
      upstream('parakeet', { kind: 'stt', model: 'parakeet-tdt' }),
      upstream('kokoro', { kind: 'tts', model: 'kokoro' }),
    ]
    // Both health checks answer, but transcription is not built and TTS is not either.
    const today = buildEndpoints(status(speech, null))
    expect(today.parakeet).toMatchObject({
      ready: false,
      status: 'not_ready',
      capabilities: { transcription: 'not_built' },
    })
    // The voice list alone is built and up: Kokoro serves something that works.
    expect(today.kokoro).toMatchObject({ ready: true, capabilities: { voices: 'up', tts: 'not_built' } })
    const built = buildEndpoints(
      status(speech, null, [capability('transcription', 'speech-proxy', ['parakeet'], 'up')]),
    )
    expect(built.parakeet).toMatchObject({ ready: true, status: 'ready' })
    // An upstream no service declares a capability for is never ready on its health alone.
    expect(buildEndpoints(status(speech, null, [])).parakeet).toMatchObject({
      ready: false,
      capabilities: {},
    })
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

  it('keeps the audio entries and lists the loaded LLM first (tools chat with the first id)', () => {
    const list = mergeModelLists(speech, 'Qwen/Qwen3-8B', now, TODAY)
    expect(list.object).toBe('list')
    expect(list.data.map((m) => m.id)).toEqual(['Qwen/Qwen3-8B', 'parakeet-tdt-0.6b-v3', 'af_heart'])
    expect(list.data[2]).toMatchObject({ type: 'voice', owned_by: 'kokoro' })
    expect(list.data[0]).toEqual({
      id: 'Qwen/Qwen3-8B',
      object: 'model',
      created: 1767225610,
      owned_by: 'vllm',
      ready: true,
      capability: 'chat',
      capability_state: 'up',
    })
  })

  it('lists the STT model and the voices as before, but not ready while transcription and TTS are not built', () => {
    const stt = { id: 'nvidia/parakeet-tdt-0.6b-v3', object: 'model', created: 1, owned_by: 'parakeet' }
    const voice = { ...speech.data[1], ready: true }
    const today = mergeModelLists({ data: [stt, voice] }, null, now, TODAY)
    expect(today.data).toEqual([
      { ...stt, ready: false, capability: 'transcription', capability_state: 'not_built' },
      // What the backend claims is not taken: the gateway decides from the capabilities.
      { ...voice, ready: false, capability: 'tts', capability_state: 'not_built' },
    ])
    const built = [capability('transcription', 'speech-proxy', ['parakeet'], 'up')]
    expect(mergeModelLists({ data: [stt] }, null, now, built).data[0]).toMatchObject({ ready: true })
  })

  it('answers with what is known when speech-proxy is down or odd', () => {
    expect(mergeModelLists(null, 'm', now, TODAY).data.map((m) => m.id)).toEqual(['m'])
    expect(mergeModelLists({ data: 'nope' }, null, now, TODAY).data).toEqual([])
    const odd = mergeModelLists({ data: [null, 3, { id: '' }, { id: 'ok' }] }, null, now, TODAY)
    expect(odd.data).toEqual([
      {
        id: 'ok',
        object: 'model',
        created: 0,
        owned_by: 'speech-proxy',
        ready: false,
        capability: null,
        capability_state: 'unknown',
      },
    ])
  })

  it('does not list the LLM twice, and moves it first when speech-proxy listed it too', () => {
    const list = mergeModelLists({ data: [{ id: 'a' }, { id: 'm', object: 'model' }] }, 'm', now, TODAY)
    expect(list.data.map((m) => m.id)).toEqual(['m', 'a'])
  })
})
