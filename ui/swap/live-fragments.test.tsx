/** The self-refreshing pieces (switch progress, model card) and what every dashboard answer carries: CSP, escaping. */
import { describe, expect, it } from 'vitest'
import { dashboard, get, post, tagWith, type Fake } from '../fixtures/swap-app.ts'
import { catalogModel, CURRENT_MODEL, fakeSwapSource, finishedJob, fitsAnswer, HELD_LOCK, runningJob, sampleTelemetry } from '../fixtures/swap.ts'

describe('GET /ui/fragments/swap/progress', () => {
  const progress = async (fake: Fake) => (await get(dashboard(fake), '/ui/fragments/swap/progress')).html

  it('follows a running switch every second: steps, percent, time left, log tail', async () => {
    const fake = fakeSwapSource({ state: { state: 'loading', job: runningJob() } })
    const html = await progress(fake)
    expect(tagWith(html, 'id="swap-progress"')).toContain('hx-trigger="every 1s"')
    expect(html).toContain('data-outcome="running"')
    for (const s of ['draining', 'stopping', 'verifying-stopped', 'starting'])
      expect(html).toContain(`data-step="${s}" data-step-status="done"`)
    expect(html).toContain('data-step="loading" data-step-status="current" aria-current="step"')
    expect(html).toContain('data-step="warming" data-step-status="todo"')
    expect(html).toContain('data-step="ready" data-step-status="todo"')
    expect(html).toContain('Stopping the current model<span class="muted"> · 9 s</span>')
    expect(html).toContain('<strong data-percent="55.3">55 %</strong> · reading the weights (40 %) · about 2 min left')
    expect(html).not.toContain('data-stalled')
    expect(html).toContain('spark-1  Loading safetensors checkpoint shards: 40% Completed | 6/15\nspark-2  INFO worker ready')
    expect(html).toContain('data-action="cancel"')
    expect(fake.callsOf('recentLogs')).toEqual([[12]])
  })

  it('says when a step is stalled and when the time left is unknown', async () => {
    const job = runningJob('llama-70b', { progress: { phase: 'compiling', phase_percent: null, percent: 70, eta_s: null, stalled: true } })
    const html = await progress(fakeSwapSource({ state: { state: 'loading', job } }))
    expect(html).toContain('data-stalled="true"')
    expect(html).toContain('· compiling · time left unknown')
  })

  it('shows "Cancelling…" instead of the button once a cancel was asked for', async () => {
    const html = await progress(fakeSwapSource({ state: { state: 'loading', job: runningJob('llama-70b', { cancel_requested: true }) } }))
    expect(html).toContain('Cancelling…')
    expect(html).not.toContain('data-action="cancel"')
  })

  it('shows the error while going back to the previous model', async () => {
    const job = runningJob('llama-70b', {
      status: 'rolling-back',
      error: 'vLLM exited during loading: CUDA out of memory',
      progress: null,
      transitions: [
        ...runningJob().transitions,
        { state: 'failed', at: '2030-01-01T12:00:05.000Z' },
        { state: 'rolling-back', at: '2030-01-01T12:00:06.000Z' },
      ],
    })
    const html = await progress(fakeSwapSource({ state: { state: 'rolling-back', job } }))
    expect(html).toContain('hx-trigger="every 1s"')
    expect(html).toContain('The switch to llama-70b failed — going back')
    expect(html).toContain('<p class="notice notice-bad">vLLM exited during loading: CUDA out of memory</p>')
    expect(html).not.toContain('data-step-status="current"')
  })

  it('says how each finished switch ended and polls slowly', async () => {
    const expected = {
      ready: ['notice-good', 'Switched to llama-70b at 12:03:20 UTC; it took 4 min 20 s.'],
      rolled_back: ['notice-warn', 'went back to qwen3-coder-30b, which is answering again.'],
      failed: ['notice-bad', 'The switch to llama-70b failed, and going back to qwen3-coder-30b failed too.'],
      cancelled: ['notice-warn', 'The switch to llama-70b was cancelled at 12:03:20 UTC.'],
    } as const
    for (const [outcome, [tone, text]] of Object.entries(expected)) {
      const fake = fakeSwapSource({ state: { state: 'idle', job: finishedJob(outcome as keyof typeof expected) } })
      const html = await progress(fake)
      expect(tagWith(html, 'id="swap-progress"'), outcome).toContain(`data-outcome="${outcome}"`)
      expect(tagWith(html, 'id="swap-progress"')).toContain('hx-trigger="every 3s"')
      expect(html, outcome).toContain(`<p class="notice ${tone}" data-result="${outcome}">`)
      expect(html, outcome).toContain(text)
      expect(html).not.toContain('data-action="cancel"')
      expect(fake.callsOf('recentLogs')).toEqual([])
    }
  })

  it('keeps the log of a rolled-back switch open, with what went wrong', async () => {
    const html = await progress(fakeSwapSource({ state: { state: 'idle', job: finishedJob('rolled_back') } }))
    expect(html).toContain('<p data-error="">What went wrong: vLLM exited during loading: CUDA out of memory</p>')
    expect(html).toContain('<details class="log-tail" open="">')
    expect(html).toContain('<pre data-log-excerpt="">torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB</pre>')
    const ok = await progress(fakeSwapSource({ state: { state: 'idle', job: finishedJob('ready') } }))
    expect(ok).not.toContain('data-log-excerpt')
    expect(ok).not.toContain('data-error')
  })

  it('says the controller is not answering when the state read fails', async () => {
    const fake = fakeSwapSource()
    fake.fail.state = new Error('timeout')
    const { res, html } = await get(dashboard(fake), '/ui/fragments/swap/progress')
    expect(res.status).toBe(200)
    expect(html).toContain('data-swap-state="unknown"')
    expect(html).toContain('The swap controller is not answering; retrying.')
  })
})

describe('GET /ui/fragments/model', () => {
  const card = async (fake: Fake) => (await get(dashboard(fake), '/ui/fragments/model')).html

  it('shows the served model and how busy it is', async () => {
    const html = await card(fakeSwapSource())
    expect(tagWith(html, 'id="model-card"')).toContain('data-state="serving"')
    expect(html).toContain(`data-loaded-model="${CURRENT_MODEL}"`)
    expect(html).toContain('<div data-stat="generation"><dt>Writing</dt><dd>42.6 tok/s</dd></div>')
    expect(html).toContain('<dd>1234 tok/s</dd>')
    expect(html).toContain('<div data-stat="kv"><dt>Conversation memory (KV cache)</dt><dd>37.4 %</dd></div>')
    expect(html).toContain('<dd>3 running, 1 waiting</dd>')
    expect(html).toContain('aria-label="Tokens written per second, recent minutes"')
    expect(html).not.toContain('Switching to')
  })

  it('says which model it is switching to while a switch runs', async () => {
    const t = sampleTelemetry()
    t.vllm = { ...t.vllm, models: [], at: null, error: { message: 'connection refused', at: '2030-01-01T12:00:08.000Z' } }
    const html = await card(fakeSwapSource({ telemetry: t, state: { state: 'loading', job: runningJob() } }))
    expect(tagWith(html, 'id="model-card"')).toContain('data-state="swapping"')
    expect(html).toContain('Switching to <strong>llama-70b</strong>: Loading the model, 55 %.')
    expect(html).not.toContain('data-stat=')
  })

  it('tells "nothing loaded" from "not known"', async () => {
    const t = sampleTelemetry()
    t.vllm = { ...t.vllm, models: [] }
    expect(await card(fakeSwapSource({ telemetry: t }))).toContain('data-state="none"')
    const down = fakeSwapSource()
    down.failAll()
    const html = await card(down)
    expect(html).toContain('data-state="unknown"')
    expect(html).toContain('Not known right now')
  })
})

describe('headers and escaping', () => {
  it('sends the Content-Security-Policy on every page, fragment and form answer', async () => {
    const fake = fakeSwapSource({ lock: HELD_LOCK, state: { state: 'loading', job: runningJob() } })
    const app = dashboard(fake)
    const gets = [
      '/',
      '/ui/swap',
      '/ui/swap?recipe=llama-70b',
      '/ui/history',
      '/ui/fragments/model',
      '/ui/fragments/nodes',
      '/ui/fragments/swap/progress',
      '/ui/fragments/swap/confirm?recipe=llama-70b',
      '/ui/fragments/swap/confirm?recipe=%24(id)',
      '/ui/fragments/swap/confirm',
    ]
    const responses = await Promise.all(gets.map((p) => app.request(p)))
    for (const path of ['/ui/actions/swap', '/ui/actions/swap/cancel', '/ui/actions/lock/release']) {
      responses.push((await post(app, path, { recipe: 'llama-70b' })).res)
    }
    for (const res of responses) {
      expect(res.status, res.url).toBe(200)
      expect(res.headers.get('content-security-policy'), res.url).toContain("script-src 'self'")
      expect(res.headers.get('content-type')).toMatch(/^text\/html/)
      expect(res.headers.get('cache-control')).toBe('no-store')
    }
  })

  it('escapes hostile text from the controller in every place it is shown', async () => {
    const evil = '<script>alert(1)</script>'
    const attr = '"><img src=x onerror=alert(1)>'
    const fake = fakeSwapSource({ lock: { ...HELD_LOCK, holder: evil, note: evil } })
    fake.data.catalog.models[1]!.description = evil
    fake.data.catalog.models[1]!.name = attr
    fake.data.catalog.models.push({ ...catalogModel(attr), valid: false, reasons: [evil] })
    fake.data.logs = [{ node: 'spark-1', line: evil, at: '2030-01-01T12:00:09.000Z' }]
    fake.data.state = { state: 'loading', job: runningJob(attr, { error: evil }) }
    fake.data.validate['llama-70b'] = { ...fitsAnswer('llama-70b'), warnings: [evil], from_model: evil }
    fake.data.history[0]!.detail = evil
    fake.data.history[0]!.actor = attr
    const app = dashboard(fake)
    const paths = [
      '/',
      '/ui/swap',
      '/ui/swap?recipe=llama-70b',
      '/ui/history',
      '/ui/fragments/swap/progress',
      '/ui/fragments/swap/confirm?recipe=llama-70b',
      '/ui/fragments/model',
    ]
    for (const path of paths) {
      const { html } = await get(app, path)
      expect(html, path).not.toContain('<script>alert')
      expect(html, path).not.toContain('<img src=x')
    }
    const page = (await get(app, '/ui/swap')).html
    expect(page).toContain('<span class="muted block">&lt;script&gt;alert(1)&lt;/script&gt;</span>')
    expect(page).toContain('data-recipe="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"')
    const log = (await get(app, '/ui/fragments/swap/progress')).html
    expect(log).toContain('spark-1  &lt;script&gt;alert(1)&lt;/script&gt;')
    // The confirmation's notice echoes what was asked for, escaped.
    const echoed = (await get(app, `/ui/fragments/swap/confirm?recipe=${encodeURIComponent(evil)}`)).html
    expect(echoed).toContain('named &lt;script&gt;alert(1)&lt;/script&gt;.')
  })
})
