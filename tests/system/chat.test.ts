/**
 * The swap-aware chat proxy on the simulated cluster, through the gateway: streamed completions from
 * the preloaded model, requests arriving mid-swap (held then served, or 503 + Retry-After — never a
 * connection error), and the errors that name the loaded model. The tests share one stack; each
 * loads the model it starts from (`given`), so any one passes alone.
 */
import { describe, expect, it } from 'vitest'
import { SIM_DEFAULT_RECIPE } from '../../tools/spark-sim/recipes.ts'
import { sseReader } from '../../ui/fixtures/sse.ts'
import { eventually, useDemo } from '../support/demo.ts'
import { servedName } from '../support/served-names.ts'

const fixture = useDemo({
  name: 'chat',
  loadTimeMs: 1500,
  env: { SWAP_VERIFY_TIMEOUT_S: '5', SWAP_STOP_GRACE_S: '1', CHAT_WAIT_DURING_SWAP_MS: '20000' },
})
const served = (key: string) => servedName(key)
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(fixture.url(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
const getJson = async (path: string) => (await fetch(fixture.url(path))).json()
const finished = (id: string) =>
  eventually(
    () => getJson(`/api/swap/${id}`),
    (j) => j.finished_at !== null,
    30_000,
  )

/** Loads `recipe` through the swap API unless it is loaded already: the model a test starts from. */
async function given(recipe: string) {
  if ((await getJson('/api/status')).loaded_model === served(recipe)) return
  const job = await (await post('/api/swap', { recipe })).json()
  expect((await finished(job.job_id)).outcome).toBe('ready')
}

interface Outcome {
  sentAt: number
  status: number
  retryAfter: string | null
  model?: string
  error?: { code: string; message: string }
}

/**
 * Starts a swap and sends a chat request at each step it enters (read from the swap's own event
 * stream), with and without a model; a connection error (rejected fetch) fails the test.
 */
async function chatDuringSwap(recipe: string) {
  const started = await post('/api/swap', { recipe })
  expect(started.status).toBe(202)
  const { job_id: id } = await started.json()
  const steps = sseReader((await fetch(fixture.url(`/api/swap/${id}/stream`))).body!)
  const entered = new Set<string>()
  const outcomes: Promise<Outcome>[] = []
  for (let e = await steps.next(30_000); e && e.event !== 'done'; e = await steps.next(30_000)) {
    const step = e.event === 'status' ? (JSON.parse(e.data) as { status: string }).status : null
    if (step === null || entered.has(step)) continue
    entered.add(step)
    const body = outcomes.length % 2 === 0 ? {} : { model: served(recipe) }
    const sentAt = Date.now()
    outcomes.push(
      chat(body).then(async (res) => {
        const json = await res.json()
        return {
          sentAt,
          status: res.status,
          retryAfter: res.headers.get('retry-after'),
          model: json.model,
          error: json.error,
        }
      }),
    )
  }
  await steps.cancel()
  const results = await Promise.all(outcomes)
  expect(results.length, [...entered].join(', ')).toBeGreaterThan(2)
  return { results, job: await finished(id) }
}
const chat = (body: Record<string, unknown>) =>
  post('/v1/chat/completions', { messages: [{ role: 'user', content: 'hello' }], max_tokens: 8, ...body })

describe('chat proxy on the simulated cluster', () => {
  it('streams a chat completion from the preloaded model chunk by chunk, ending with [DONE]', async () => {
    await given(SIM_DEFAULT_RECIPE)
    const res = await chat({
      model: served(SIM_DEFAULT_RECIPE),
      stream: true,
      max_tokens: 12,
      stream_options: { include_usage: true },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const reader = res.body!.getReader()
    const reads: string[] = []
    for (let r = await reader.read(); !r.done; r = await reader.read())
      reads.push(new TextDecoder().decode(r.value))
    const text = reads.join('')
    expect(reads.length).toBeGreaterThan(2)
    expect(text.match(/^data: \{/gm)!.length).toBeGreaterThan(2)
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true)
    expect(text).toContain('"usage"')
  })

  it('answers a model that is not loaded with an error naming the loaded one', async () => {
    await given(SIM_DEFAULT_RECIPE)
    const res = await chat({ model: 'no-such-model' })
    expect(res.status).toBe(404)
    const body = await res.json()
    expect(body.error.code).toBe('model_not_found')
    expect(body.error.message).toContain(`the loaded model is ${served(SIM_DEFAULT_RECIPE)}`)
  })

  it('holds chat requests during a first swap (no load history: its ETA is only a guess) and serves them from the new model', async () => {
    // A fresh stack has never loaded this model (run after the next test, it would have a history).
    await given(SIM_DEFAULT_RECIPE)
    const { job, results } = await chatDuringSwap('gpt-oss-120b')
    expect(job.outcome).toBe('ready')
    for (const r of results) {
      expect(r.status, JSON.stringify(r)).toBe(200)
      expect(r.model).toBe(served('gpt-oss-120b'))
    }
  }, 60_000)

  it('holds chat requests during a swap whose ETA fits, and serves them from the new model', async () => {
    // The second model loaded once, then back to the first: now its past load gives a short ETA.
    await given('gpt-oss-120b')
    await given(SIM_DEFAULT_RECIPE)
    const { job, results } = await chatDuringSwap('gpt-oss-120b')
    for (const r of results)
      expect(r, JSON.stringify(r)).toMatchObject({ status: 200, model: served('gpt-oss-120b') })
    // Sent before the swap finished: they were held, not merely sent after it.
    expect(results.filter((r) => r.sentAt < Date.parse(job.finished_at)).length).toBeGreaterThan(2)
    expect(job.outcome).toBe('ready')
  }, 60_000)

  it('refuses an on-demand swap while the new model is within its min residency', async () => {
    await given('gpt-oss-120b')
    const res = await chat({ model: served(SIM_DEFAULT_RECIPE) })
    expect(res.status).toBe(409)
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(200)
    const body = await res.json()
    expect(body.error.code).toBe('model_resident')
    expect(body.error.message).toContain(`${served('gpt-oss-120b')} stays loaded at least`)
  }, 60_000)

  it('drains an in-flight generation before the swap stops its model', async () => {
    await given('gpt-oss-120b')
    const res = await chat({ model: served('gpt-oss-120b'), stream: true, max_tokens: 200 })
    const reader = res.body!.getReader()
    let text = new TextDecoder().decode((await reader.read()).value)
    const swap = await (await post('/api/swap', { recipe: SIM_DEFAULT_RECIPE })).json()
    for (let r = await reader.read(); !r.done; r = await reader.read())
      text += new TextDecoder().decode(r.value)
    const streamEnded = Date.now()
    expect(text).not.toContain('event: error')
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true)
    const job = await finished(swap.job_id)
    expect(job.outcome).toBe('ready')
    expect(job.durations_ms.draining).toBeGreaterThan(0)
    // The model was stopped only once the generation had ended (the relay ends a moment before the
    // client reads its last chunk, hence the margin).
    const stopping = job.transitions.find((t: { state: string }) => t.state === 'stopping')
    expect(Date.parse(stopping.at)).toBeGreaterThanOrEqual(streamEnded - 250)
  }, 60_000)

  it('loads an on-demand model for a chat request after the model was stopped, and answers from it', async () => {
    const stopped = await post('/api/swap/stop', {})
    expect(stopped.status).toBe(200)
    expect((await getJson('/api/status')).loaded_model ?? null).toBeNull()
    const res = await chat({ model: served(SIM_DEFAULT_RECIPE) })
    expect(res.status).toBe(200)
    expect((await res.json()).model).toBe(served(SIM_DEFAULT_RECIPE))
    const history = (await getJson('/api/swap/history?limit=5')).entries as Array<{
      action: string
      actor: string
      outcome: string
    }>
    expect(history.find((e) => e.action === 'swap.start')).toMatchObject({
      actor: expect.stringMatching(/^chat:/),
      outcome: 'ready',
    })
  }, 60_000)
})
