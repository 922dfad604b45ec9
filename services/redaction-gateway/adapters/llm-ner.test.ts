/** The name pass against a real local HTTP server standing in for the swap-controller's chat proxy. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Registry } from '../../../shared/metrics.ts'
import { type NerReason, NerUnavailableError } from '../domain/detect/llm-names-pass.ts'
import { createLlmNer, type LlmNerOptions } from './llm-ner.ts'
import { splitChunks } from './llm-ner-chunks.ts'
import { completion, type FakeChatProxy, fakeChatProxy, modelList } from './llm-ner-testing.ts'

let proxy: FakeChatProxy
let release: () => void
let released: Promise<void>
beforeEach(async () => {
  proxy = await fakeChatProxy()
  released = new Promise((resolve) => {
    release = resolve
  })
})
afterEach(async () => {
  release()
  await proxy.close()
})

const ner = (over: Partial<LlmNerOptions> = {}) =>
  createLlmNer({
    baseUrl: proxy.url,
    timeoutMs: 5000,
    deadlineMs: 10_000,
    concurrency: 2,
    chunkChars: 500,
    ...over,
  })

async function failure(promise: Promise<unknown>): Promise<NerUnavailableError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(NerUnavailableError)
  return err as NerUnavailableError
}
const reasonOf = async (promise: Promise<unknown>): Promise<NerReason> => (await failure(promise)).reason

describe('the local-LLM name pass over the chat proxy', () => {
  it('asks the served model at temperature 0 with the entity JSON schema, and returns its entities per item', async () => {
    proxy.chat = () => completion({ entities: [{ text: 'Priya Raman', type: 'person' }] })
    const registry = new Registry()
    const found = await ner({ registry }).entities(['Call Priya Raman.', 'Nothing here.'], { mode: 'auto' })
    expect(await registry.metrics()).toContain('redaction_ner_passes_total{outcome="ok"} 1')
    expect(found).toEqual([
      [{ text: 'Priya Raman', type: 'person' }],
      [{ text: 'Priya Raman', type: 'person' }],
    ])
    expect(proxy.calls).toHaveLength(2)
    const body = proxy.calls[0]!.body
    expect(body).toMatchObject({ model: 'Qwen/Qwen3-30B-A3B', temperature: 0, stream: false })
    expect(body.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'named_entities', strict: true, schema: { required: ['entities'] } },
    })
    expect(body.response_format.json_schema.schema.properties.entities.items.properties.type.enum).toEqual([
      'person',
      'organization',
      'location',
    ])
    expect(body.messages[0].role).toBe('system')
    expect(body.messages[0].content).toMatch(/exactly as it is written/)
    expect(body.messages[0].content).toContain('[PERSON_1]')
    expect(body.messages[1]).toEqual({ role: 'user', content: 'Call Priya Raman.' })
    // Never a model load on the pass's account: the chat proxy's on-demand swap obeys this header.
    expect(proxy.calls[0]!.req.headers['x-spark-may-swap']).toBe('no')
  })

  it('cuts a long item into pieces at line and sentence ends, at most `concurrency` calls at once', async () => {
    const sentence = 'Mira Okafor met the board in Lagos today. '
    const text = `${sentence.repeat(30)}\n${sentence.repeat(30)}`
    // Each call is held until its partner arrives (the last one alone once every piece came), so the
    // test sees the pass keep two in flight without timing anything.
    const total = splitChunks(text, 300).length
    let arrived = 0
    let waiting: (() => void) | undefined
    proxy.chat = async ({ body }) => {
      arrived++
      if (waiting) {
        waiting()
        waiting = undefined
      } else if (arrived < total) await new Promise<void>((r) => (waiting = r))
      const piece: string = body.messages[1].content
      return completion({ entities: piece.includes('Lagos') ? [{ text: 'Lagos', type: 'location' }] : [] })
    }
    const [found] = await ner({ concurrency: 2, chunkChars: 300 }).entities([text], { mode: 'auto' })
    const pieces = proxy.calls.map((c) => c.body.messages[1].content as string)
    expect(pieces.length).toBe(total)
    expect(pieces.length).toBeGreaterThan(8)
    expect(pieces.join('')).toBe(text)
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(300)
      expect(piece).toMatch(/(\. |\n)$|today\. $/)
    }
    expect(proxy.maxInFlight).toBe(2)
    expect(found!.every((e) => e.text === 'Lagos')).toBe(true)
    expect(found).toHaveLength(pieces.length)
  })

  it('ner "qwen" takes the served Qwen model, and refuses a cluster that serves none', async () => {
    proxy.models = modelList('openai/gpt-oss-120b', 'qwen3-coder-30b')
    await ner().entities(['Hi Ana.'], { mode: 'qwen' })
    expect(proxy.calls[0]!.body.model).toBe('qwen3-coder-30b')
    proxy.models = modelList('openai/gpt-oss-120b')
    const err = await failure(ner().entities(['Hi Ana.'], { mode: 'qwen' }))
    expect(err.reason).toBe('wrong_model')
    expect(err.message).toContain('openai/gpt-oss-120b')
    // An alias counts when vLLM says the model behind it (`root`) is a Qwen.
    proxy.models = modelList('coder=Qwen/Qwen3-Coder-30B-A3B-Instruct-FP8')
    await ner().entities(['Hi Ana.'], { mode: 'qwen' })
    expect(proxy.calls.at(-1)!.body.model).toBe('coder')
    proxy.models = modelList('openai/gpt-oss-120b')
    // "auto" takes whatever chat model is served.
    await ner().entities(['Hi Ana.'], { mode: 'auto' })
    expect(proxy.calls.at(-1)!.body.model).toBe('openai/gpt-oss-120b')
  })

  it.each([
    ['not JSON', completion('Priya Raman (person)')],
    ['an empty answer', completion('')],
    ['a null content', { body: { choices: [{ message: { content: null }, finish_reason: 'stop' }] } }],
    ['the schema without entities', completion({})],
    ['a wrong type', completion({ entities: [{ text: 'Priya Raman', type: 'human' }] })],
    ['an extra field', completion({ entities: [{ text: 'Priya Raman', type: 'person', score: 1 }] })],
    ['an answer cut at the token limit', completion('{"entities": [{"text": "Priya Ra', 'length')],
    ['not a chat completion', { body: { result: 'Priya Raman' } }],
  ])('calls %s malformed, never quoting it', async (_what, reply) => {
    proxy.chat = () => reply
    const registry = new Registry()
    const err = await failure(ner({ registry }).entities(['Call Priya Raman.'], { mode: 'auto' }))
    expect(err.reason).toBe('malformed')
    expect(err.message).not.toMatch(/Priya|Raman/)
    const series = await registry.metrics()
    expect(series).toContain('redaction_ner_passes_total{outcome="malformed"} 1')
    expect(series).toContain('redaction_ner_calls_total 1')
  })

  it('gives up on a slow model after the per-call timeout, and on a slow pass at the deadline', async () => {
    proxy.chat = async () => {
      await released
      return completion({ entities: [] })
    }
    const started = Date.now()
    expect(await reasonOf(ner({ timeoutMs: 200 }).entities(['a'], { mode: 'auto' }))).toBe('timeout')
    const err = await failure(ner({ timeoutMs: 5000, deadlineMs: 300 }).entities(['a'], { mode: 'auto' }))
    expect(err.reason).toBe('timeout')
    expect(err.message).toContain('300 ms')
    expect(Date.now() - started).toBeLessThan(4000)
  })

  it('says "switching" while a swap runs (held chat refused, or vLLM away with a swap under way) and "no_model" when none is loaded', async () => {
    proxy.chat = () => ({
      status: 503,
      body: { error: { message: 'Switching models to x', type: 'model_switching', code: 'model_switching' } },
    })
    expect(await reasonOf(ner().entities(['a'], { mode: 'auto' }))).toBe('switching')
    proxy.models = { status: 502, body: { detail: 'vllm unreachable' } }
    proxy.swapState = 'loading'
    expect(await reasonOf(ner().entities(['a'], { mode: 'auto' }))).toBe('switching')
    proxy.swapState = 'idle'
    expect(await reasonOf(ner().entities(['a'], { mode: 'auto' }))).toBe('no_model')
    proxy.models = modelList()
    expect(await reasonOf(ner().entities(['a'], { mode: 'auto' }))).toBe('no_model')
  })

  it('says "unreachable" when nothing listens, "failed" on an HTTP error, and "disabled" without a call', async () => {
    const gone = createLlmNer({
      baseUrl: 'http://127.0.0.1:9',
      timeoutMs: 2000,
      deadlineMs: 5000,
      concurrency: 1,
      chunkChars: 500,
    })
    expect(await reasonOf(gone.entities(['a'], { mode: 'auto' }))).toBe('unreachable')
    proxy.chat = () => ({ status: 500, body: { error: { message: 'boom', code: 500 } } })
    expect(await reasonOf(ner().entities(['a'], { mode: 'auto' }))).toBe('failed')
    const before = proxy.calls.length
    expect(await reasonOf(ner({ disabled: true }).entities(['a'], { mode: 'auto' }))).toBe('disabled')
    expect(proxy.calls.length).toBe(before)
  })

  it('ends the other calls of a pass at the first failure: all or nothing', async () => {
    let n = 0
    let allIn = () => {}
    const three = new Promise<void>((resolve) => {
      allIn = resolve
    })
    proxy.chat = async ({ req }) => {
      const mine = ++n
      if (proxy.inFlight === 3) allIn()
      if (mine === 1) {
        await three
        return completion('nope')
      }
      // Answers only when the test ends, unless the pass hangs up first.
      await Promise.race([released, new Promise((resolve) => req.socket.once('close', resolve))])
      return completion({ entities: [] })
    }
    const pass = ner({ concurrency: 3, chunkChars: 200 }).entities(['a. '.repeat(200)], { mode: 'auto' })
    const err = await failure(pass)
    expect(err.reason).toBe('malformed')
    // The two calls still waiting were cancelled: their connections closed before the test released them.
    await expect.poll(() => proxy.inFlight).toBe(0)
    expect(n).toBe(3)
  })

  it('refuses a pass that would queue more than the bound, without a call', async () => {
    const err = await failure(
      ner({ concurrency: 1, maxWaiting: 2, chunkChars: 200 }).entities(['a. '.repeat(300)], { mode: 'auto' }),
    )
    expect(err.reason).toBe('busy')
    expect(err.message).toMatch(/needs \d+ model calls and at most 3 can be queued/)
    expect(proxy.calls).toHaveLength(0)
  })

  it('refuses a second pass while the first fills the queue, across /scrub calls', async () => {
    proxy.chat = async () => {
      await released
      return completion({ entities: [] })
    }
    const llm = ner({ concurrency: 1, maxWaiting: 1, chunkChars: 200 })
    const first = llm.entities(['a. '.repeat(100)], { mode: 'auto' }) // two pieces: one runs, one waits
    await expect.poll(() => proxy.inFlight).toBe(1)
    const err = await failure(llm.entities(['b'], { mode: 'auto' }))
    expect(err).toMatchObject({ reason: 'busy', message: expect.stringMatching(/too much queued/) })
    release()
    expect(await first).toEqual([[]])
  })

  it('reports local_llm readiness: up naming the model, busy while switching, down when none is served', async () => {
    const llm = ner()
    const signal = AbortSignal.timeout(5000)
    expect(await llm.check(signal)).toMatchObject({
      state: 'up',
      info: { kind: 'llm', base_url: proxy.url, model: 'Qwen/Qwen3-30B-A3B', disabled: false },
    })
    proxy.models = { status: 502, body: { detail: 'vllm unreachable' } }
    proxy.swapState = 'warming'
    expect(await llm.check(signal)).toMatchObject({ state: 'busy' })
    proxy.swapState = 'idle'
    expect(await llm.check(signal)).toMatchObject({
      state: 'down',
      detail: expect.stringMatching(/no chat model/),
    })
    expect(await ner({ disabled: true }).check(signal)).toMatchObject({ state: 'disabled' })
  })
})
