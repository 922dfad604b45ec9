/**
 * `/scrub` with the local-LLM name pass (`ner: auto|qwen`), end to end: the real adapter over a real
 * local server standing in for the swap-controller's chat proxy, a real map store.
 */
import { PassThrough } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createLogger } from '../../../shared/logger.ts'
import { createLlmNer } from '../adapters/llm-ner.ts'
import { completion, type FakeChatProxy, fakeChatProxy, modelList } from '../adapters/llm-ner-testing.ts'
import { type RedactionHarness, redactionHarness } from './scrub-testing.ts'

let proxy: FakeChatProxy
let h: RedactionHarness
let logged: string[]
beforeEach(async () => {
  proxy = await fakeChatProxy()
  logged = []
  const sink = new PassThrough()
  sink.on('data', (line: Buffer) => logged.push(line.toString('utf8')))
  h = await redactionHarness({
    env: { REDACTION_MAX_ITEMS: '5', REDACTION_MAX_ITEM_CHARS: '2000' },
    logger: createLogger({ service: 'redaction-gateway', level: 'info', destination: sink }),
    localLlm: createLlmNer({
      baseUrl: proxy.url,
      timeoutMs: 2000,
      deadlineMs: 5000,
      concurrency: 2,
      chunkChars: 1000,
    }),
  })
})
afterEach(async () => {
  await h.close()
  await proxy.close()
})

const request = (items: { id: string | number; text: string }[], ner = 'auto', extra = {}) => ({
  task_id: 't-ner',
  items,
  tier1_action: 'drop',
  ner,
  ...extra,
})
const NAMES = {
  entities: [
    { text: 'tavreth', type: 'person' },
    { text: 'Quillon Holdings', type: 'organization' },
  ],
}

describe('POST /scrub with the local-LLM name pass', () => {
  it('tokenises names only the model found, in every item, and they rehydrate back', async () => {
    proxy.chat = ({ body }) =>
      completion(body.messages[1].content.includes('tavreth') ? NAMES : { entities: [] })
    const items = [
      { id: 1, text: 'we spoke with tavreth about quillon holdings.' },
      { id: 2, text: 'Tavreth will call back; [PERSON_1] stays as typed.' },
    ]
    const rules = await h.post('/scrub', request(items, 'rules_only'))
    expect(rules.body.items[0].scrubbed_text).toBe(items[0]!.text)
    const { status, body } = await h.post('/scrub', request(items))
    expect(status).toBe(200)
    expect(body.items.map((i: { scrubbed_text: string }) => i.scrubbed_text)).toEqual([
      'we spoke with [PERSON_1] about [ORG_1].',
      '[PERSON_1] will call back; ［PERSON_1］ stays as typed.',
    ])
    // The model saw the neutralised text: a literal placeholder cannot be echoed back as a token.
    expect(proxy.calls.map((c) => c.body.messages[1].content)).toContain(
      'Tavreth will call back; ［PERSON_1］ stays as typed.',
    )
    const back = await h.post('/rehydrate', {
      task_id: 't-ner',
      map_handle: body.map_handle,
      items: body.items.map((i: { id: number; scrubbed_text: string }) => ({
        id: i.id,
        text: i.scrubbed_text,
      })),
    })
    expect(back.body.items.map((i: { text: string }) => i.text)).toEqual(items.map((i) => i.text))
    expect(logged.join('')).not.toMatch(/tavreth|quillon/i)
  })

  it('"qwen" uses the served Qwen model; without one it is 422 wrong_model', async () => {
    proxy.models = modelList('meta/llama-3.3-70b')
    const { status, body } = await h.post('/scrub', request([{ id: 1, text: 'Hi tavreth.' }], 'qwen'))
    expect(status).toBe(422)
    expect(body).toMatchObject({ error: 'ner_unavailable', reason: 'wrong_model' })
    expect(body.detail).toContain('meta/llama-3.3-70b')
    expect(proxy.calls).toHaveLength(0)
  })

  it.each([
    ['malformed', () => completion('tavreth is a person')],
    [
      'switching',
      () => ({ status: 503, body: { error: { message: 'Switching models', code: 'model_switching' } } }),
    ],
    ['timeout', () => new Promise<never>(() => {})],
  ] as const)(
    'answers 422 ner_unavailable (%s), scrubs and stores nothing, logs no value',
    async (reason, reply) => {
      proxy.chat = reply as never
      const create = vi.spyOn(h.store, 'create')
      const tokenFor = vi.spyOn(h.store, 'tokenFor')
      const { status, body } = await h.post('/scrub', request([{ id: 1, text: 'we spoke with tavreth.' }]))
      expect(status).toBe(422)
      expect(Object.keys(body).sort()).toEqual(['detail', 'error', 'reason'])
      expect(body).toMatchObject({ error: 'ner_unavailable', reason })
      expect(JSON.stringify(body)).not.toMatch(/tavreth/)
      expect(create).not.toHaveBeenCalled()
      expect(tokenFor).not.toHaveBeenCalled()
      expect(logged.join('')).toContain(`"reason":"${reason}"`)
      expect(logged.join('')).not.toMatch(/tavreth/i)
    },
  )

  it('answers no_model when vLLM is away and no switch runs', async () => {
    proxy.models = { status: 502, body: { detail: 'vllm unreachable' } }
    const { status, body } = await h.post('/scrub', request([{ id: 1, text: 'x' }]))
    expect(status).toBe(422)
    expect(body).toMatchObject({ error: 'ner_unavailable', reason: 'no_model' })
    expect(body.detail).toMatch(/no chat model is loaded/)
  })

  it('refuses a request that fails anyway before any text reaches the model (413, 404)', async () => {
    const tooMany = Array.from({ length: 6 }, (_, id) => ({ id, text: 'tavreth' }))
    expect((await h.post('/scrub', request(tooMany))).status).toBe(413)
    const unknown = await h.post(
      '/scrub',
      request([{ id: 1, text: 'tavreth' }], 'auto', { map_handle: 'nope' }),
    )
    expect(unknown.status).toBe(404)
    expect(proxy.calls).toHaveLength(0)
  })

  it('/ready reports local_llm without making the redaction capability depend on it', async () => {
    proxy.models = { status: 502, body: { detail: 'vllm unreachable' } }
    const ready = await (await h.app.request('/ready')).json()
    expect(ready.dependencies.local_llm).toMatchObject({ state: 'down', critical: false })
    expect(ready.capabilities.redaction.state).toBe('up')
    const rules = await h.post('/scrub', request([{ id: 1, text: 'Call Anne Smith.' }], 'rules_only'))
    expect(rules.status).toBe(200)
  })
})
