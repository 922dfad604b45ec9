/**
 * Fault suite, upstreams: an upstream killed mid-answer, and one that accepts and never answers.
 * The speech-proxy, vector-search and redaction-gateway run as child processes behind the gateway,
 * their upstreams pointed at switchable loopback servers; the chat proxy runs in-process (it needs a
 * loaded model, which only the swap engine knows) over the real vLLM adapter. Every bound below is
 * the service's own configured budget; an answer must come within it plus SLACK_MS (a loaded
 * 2-core machine, process hops, ffmpeg's decode of the upload).
 */
import { mkdir, rm } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createVllmProxy } from '../../services/swap-controller/adapters/vllm-proxy.ts'
import { createInflight } from '../../services/swap-controller/domain/chat/inflight.ts'
import { chatRoutes } from '../../services/swap-controller/routes/chat.ts'
import { silentLogger } from '../../shared/logger.ts'
import { createReadiness } from '../../shared/readiness.ts'
import { createService } from '../../shared/service.ts'
import { launchStack, REPO_ROOT, type Stack } from '../../tools/stack/launch.ts'
import { type CutUpstream, startCutUpstream } from '../support/cut-upstream.ts'
import { silentWav } from '../support/wav.ts'

/** The speech-proxy's model-list lookup (UPSTREAM_HEALTH_TIMEOUT_MS), before a transcription. */
const LOOKUP_MS = 500
/**
 * Each route's bound (ms) from the services' own knobs, set small here: chat CHAT_TIMEOUT_MS;
 * transcription the model lookup + SPEECH_ASR_TIMEOUT_S; speech KOKORO_SPEECH_TIMEOUT_MS; embeddings
 * EMBED_TIMEOUT_MS; Qdrant search QDRANT_TIMEOUT_MS; the name pass REDACTION_NER_DEADLINE_MS.
 */
const BOUND = {
  chat: 1000,
  transcription: LOOKUP_MS + 1000,
  speech: 1000,
  embeddings: 1000,
  qdrant: 1000,
  names: 1000,
}
const SLACK_MS = 1500
const sse = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`

const dataDir = `${REPO_ROOT}.data/test-faults-upstreams-${process.pid}`
let stack: Stack
const up: Record<'vllm' | 'parakeet' | 'kokoro' | 'embeddings' | 'qdrant' | 'chat' | 'cloud', CutUpstream> =
  {} as never

beforeAll(async () => {
  const chunk = sse({ choices: [{ index: 0, delta: { content: 'Hel' } }] })
  const [vllm, parakeet, kokoro, embeddings, qdrant, chat, cloud] = await Promise.all([
    startCutUpstream('text/event-stream', chunk),
    startCutUpstream('application/json', '{"text":'),
    startCutUpstream('audio/wav', new Uint8Array(silentWav(0.2).subarray(0, 400))),
    startCutUpstream('application/json', '{"data":'),
    startCutUpstream('application/json', '{"result":'),
    startCutUpstream('application/json', '{"choices":'),
    startCutUpstream('text/event-stream', chunk),
  ])
  Object.assign(up, { vllm, parakeet, kokoro, embeddings, qdrant, chat, cloud })
  await mkdir(dataDir, { recursive: true })
  stack = await launchStack({
    services: ['gateway', 'speech-proxy', 'vector-search', 'redaction-gateway'],
    env: { DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    serviceEnv: {
      'speech-proxy': {
        PARAKEET_URL: parakeet.url,
        KOKORO_URL: kokoro.url,
        UPSTREAM_HEALTH_TIMEOUT_MS: String(LOOKUP_MS),
        SPEECH_ASR_TIMEOUT_S: String((BOUND.transcription - LOOKUP_MS) / 1000),
        KOKORO_SPEECH_TIMEOUT_MS: String(BOUND.speech),
      },
      'vector-search': {
        EMBED_URL: embeddings.url,
        QDRANT_URL: qdrant.url,
        EMBED_TIMEOUT_MS: String(BOUND.embeddings),
        QDRANT_TIMEOUT_MS: String(BOUND.qdrant),
      },
      'redaction-gateway': {
        REDACTION_INSECURE_DEV_KEY: '1',
        SWAP_CONTROLLER_URL: chat.url,
        REDACTION_NER_TIMEOUT_MS: String(BOUND.names),
        REDACTION_NER_DEADLINE_MS: String(BOUND.names),
        REDACTION_CLOUD_URL: `${cloud.url}/v1`,
        REDACTION_CLOUD_TIMEOUT_MS: '1000',
      },
    },
  })
}, 60_000)

afterAll(async () => {
  await stack?.stop()
  await Promise.all(Object.values(up).map((u) => u.close()))
  await rm(dataDir, { recursive: true, force: true })
}, 30_000)

const gateway = (path: string) => `${stack.url('gateway')}${path}`
const postJson = (path: string, body: unknown) =>
  fetch(gateway(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

/** Every service behind the gateway still answers its health check. */
async function expectHealthy() {
  for (const name of ['speech-proxy', 'vector-search', 'redaction-gateway'] as const) {
    const res = await fetch(`${stack.url(name)}/health`)
    expect(res.status, name).toBe(200)
  }
}

/** Reads a body to its end; a body cut off with an error rejects (never hangs: the test's timeout). */
const readAll = async (res: Response) => {
  try {
    return { text: await res.text(), error: null }
  } catch (err) {
    return { text: '', error: err as Error }
  }
}

function chatApp() {
  const app = createService({
    name: 'swap-controller',
    logger: silentLogger(),
    readiness: createReadiness({ service: 'swap-controller', checks: [] }),
  })
  const proxy = createVllmProxy({ baseUrl: up.vllm.url, timeoutMs: BOUND.chat })
  const inflight = createInflight()
  app.route('/', chatRoutes({ proxy, inflight, loadedModels: async () => ['m'], waitDuringSwapMs: 0 }))
  const chat = (stream: boolean) =>
    app.request('/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream }),
    })
  return { app, inflight, chat }
}

describe('an upstream killed mid-answer', () => {
  it('chat: the stream ends with one SSE error event after what vLLM sent, and the proxy is free again', async () => {
    up.vllm.setMode('cut')
    const { app, inflight, chat } = chatApp()
    const res = await chat(true)
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text).toContain('"Hel"')
    expect(text.match(/^event: error$/gm)).toHaveLength(1)
    expect(text).toContain('vLLM stopped mid-stream')
    expect(inflight.count).toBe(0)
    expect((await app.request('/health')).status).toBe(200)
  })

  it('speech: the client body ends with an error (not a hang) and the speech-proxy stays healthy', async () => {
    up.kokoro.setMode('cut')
    const res = await postJson('/v1/audio/speech', {
      model: 'kokoro',
      input: 'Hello there.',
      voice: 'af_heart',
    })
    expect(res.status).toBe(200)
    const { text, error } = await readAll(res)
    expect(error, `body ended cleanly with ${text.length} chars`).not.toBeNull()
    expect(up.kokoro.requests()).toBeGreaterThan(0)
    await expectHealthy()
  })

  it('scrub-proxy: a cloud stream cut mid-way ends with one SSE error event', async () => {
    up.cloud.setMode('cut')
    const res = await postJson('/scrub-proxy/v1/chat/completions', {
      model: 'cloud-model',
      messages: [{ role: 'user', content: 'Write to Jane Doe at jane@example.com' }],
      stream: true,
    })
    expect(res.status).toBe(200)
    const { text, error } = await readAll(res)
    expect(error).toBeNull()
    expect(text.match(/^event: error$/gm), text).toHaveLength(1)
    // What the cloud sent before it died reached the client first.
    expect(text.indexOf('Hel')).toBeGreaterThan(-1)
    expect(text.indexOf('Hel')).toBeLessThan(text.indexOf('event: error'))
    await expectHealthy()
  })
})

interface Timed {
  status: number
  ms: number
  body: string
}
const timed = async (send: () => Response | Promise<Response>): Promise<Timed> => {
  const started = performance.now()
  const res = await send()
  const body = await res.text()
  return { status: res.status, ms: performance.now() - started, body }
}

describe('an upstream that accepts and never answers', () => {
  beforeAll(() => {
    for (const u of Object.values(up)) u.setMode('hang')
  })

  it('chat: 504 within CHAT_TIMEOUT_MS', async () => {
    const { chat } = chatApp()
    const r = await timed(() => chat(false))
    expect(r.status, r.body).toBe(504)
    expect(r.ms).toBeLessThan(BOUND.chat + SLACK_MS)
    expect(JSON.parse(r.body).error.message).toMatch(/vLLM/)
  })

  it('transcription: 504 within the model lookup + SPEECH_ASR_TIMEOUT_S', async () => {
    const form = new FormData()
    form.set('file', new Blob([new Uint8Array(silentWav(0.5))], { type: 'audio/wav' }), 'a.wav')
    form.set('model', 'parakeet')
    const r = await timed(() => fetch(gateway('/v1/audio/transcriptions'), { method: 'POST', body: form }))
    expect(r.status, r.body).toBe(504)
    expect(r.ms).toBeLessThan(BOUND.transcription + SLACK_MS)
  })

  it('speech: 504 within KOKORO_SPEECH_TIMEOUT_MS', async () => {
    const r = await timed(() =>
      postJson('/v1/audio/speech', { model: 'kokoro', input: 'Hello there.', voice: 'af_heart' }),
    )
    expect(r.status, r.body).toBe(504)
    expect(r.ms).toBeLessThan(BOUND.speech + SLACK_MS)
  })

  it('embeddings: 504 within EMBED_TIMEOUT_MS', async () => {
    const r = await timed(() => postJson('/v1/embeddings', { model: 'bge-m3', input: 'hello' }))
    expect(r.status, r.body).toBe(504)
    expect(r.ms).toBeLessThan(BOUND.embeddings + SLACK_MS)
  })

  it('Qdrant search: 504 within QDRANT_TIMEOUT_MS', async () => {
    const r = await timed(() => postJson('/api/search', { collection: 'notes', dense: [0.1, 0.2, 0.3] }))
    expect(r.status, r.body).toBe(504)
    expect(r.ms).toBeLessThan(BOUND.qdrant + SLACK_MS)
    expect(JSON.parse(r.body).detail).toMatch(/Qdrant/)
  })

  it('the redaction name pass: 422 ner_unavailable within REDACTION_NER_DEADLINE_MS', async () => {
    const r = await timed(() =>
      postJson('/scrub', { task_id: 't1', items: [{ id: 'a', text: 'Call Jane Doe.' }], ner: 'qwen' }),
    )
    expect(r.status, r.body).toBe(422)
    expect(JSON.parse(r.body).error).toBe('ner_unavailable')
    expect(r.ms).toBeLessThan(BOUND.names + SLACK_MS)
    await expectHealthy()
  })
})
