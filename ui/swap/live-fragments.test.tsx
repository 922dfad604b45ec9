/** The self-refreshing pieces (switch progress, model card) and what every dashboard answer carries: CSP, escaping. */
import { describe, expect, it } from 'vitest'
import {
  CURRENT_MODEL,
  catalogModel,
  fakeSwapSource,
  finishedJob,
  fitsAnswer,
  HELD_LOCK,
  runningJob,
  sampleTelemetry,
} from '../fixtures/swap.ts'
import { dashboard, type Fake, get, post, tagWith } from '../fixtures/swap-app.ts'

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
    // One percentage (the whole load), and the step by name: not the step's own 40 % beside it.
    expect(html).toContain(
      '<strong data-percent="55.3">55 % done</strong> · now <span data-phase="loading-weights">reading the weights</span> · about 2 min left',
    )
    expect(html).not.toContain('40 %')
    expect(html).not.toContain('data-stalled')
    expect(html).toContain(
      'spark-1  Loading safetensors checkpoint shards: 40% Completed | 6/15\nspark-2  INFO worker ready',
    )
    expect(html).toContain('data-action="cancel"')
    // Three times the tail is read, so 12 lines remain once health polls are left out.
    expect(fake.callsOf('recentLogs')).toEqual([[36]])
  })

  it('leaves health-check lines out of the log tail under a running switch', async () => {
    const fake = fakeSwapSource({ state: { state: 'loading', job: runningJob() } })
    const poll = (i: number) => ({
      node: 'spark-1',
      line: `INFO:     127.0.0.1:5${i} - "GET /v1/models HTTP/1.1" 200 OK`,
      at: '2030-01-01T12:00:09.000Z',
    })
    fake.data.logs = [...fake.data.logs, ...Array.from({ length: 20 }, (_, i) => poll(i))]
    const html = await progress(fake)
    expect(html).toContain('INFO worker ready')
    expect(html).not.toContain('GET /v1/models')
  })

  it('says when a step is stalled and when the time left is unknown', async () => {
    const job = runningJob('llama-70b', {
      progress: { phase: 'compiling', phase_percent: null, percent: 70, eta_s: null, stalled: true },
    })
    const html = await progress(fakeSwapSource({ state: { state: 'loading', job } }))
    expect(html).toContain('data-stalled="true"')
    expect(html).toContain('now <span data-phase="compiling">compiling</span> · time left unknown')
  })

  it('shows "Cancelling…" instead of the button once a cancel was asked for', async () => {
    const html = await progress(
      fakeSwapSource({
        state: { state: 'loading', job: runningJob('llama-70b', { cancel_requested: true }) },
      }),
    )
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
      const fake = fakeSwapSource({
        state: { state: 'idle', job: finishedJob(outcome as keyof typeof expected) },
      })
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
    expect(html).toContain(
      '<p data-error="">What went wrong: vLLM exited during loading: CUDA out of memory</p>',
    )
    expect(html).toContain('<details class="log-tail" open="">')
    expect(html).toContain(
      '<pre data-log-excerpt="">torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB</pre>',
    )
    const ok = await progress(fakeSwapSource({ state: { state: 'idle', job: finishedJob('ready') } }))
    expect(ok).not.toContain('data-log-excerpt')
    expect(ok).not.toContain('data-error')
  })

  it('heads the log of a cancelled switch as cancelled, not as a failure', async () => {
    const job = { ...finishedJob('cancelled'), log_excerpt: 'INFO loading weights' }
    const html = await progress(fakeSwapSource({ state: { state: 'idle', job } }))
    expect(html).toContain('<summary>The model&#39;s log when the switch was cancelled</summary>')
    expect(html).not.toContain('when it failed')
    const failed = await progress(fakeSwapSource({ state: { state: 'idle', job: finishedJob('failed') } }))
    expect(failed).toContain('<summary>The model&#39;s log when it failed</summary>')
  })

  it('carries what it showed in its own poll URL, and says swap-changed when a switch started or ended since', async () => {
    const fake = fakeSwapSource({ state: { state: 'loading', job: runningJob() } })
    const app = dashboard(fake)
    const first = await get(app, '/ui/fragments/swap/progress')
    const url = /hx-get="([^"]+)"/
      .exec(tagWith(first.html, 'id="swap-progress"'))![1]!
      .replaceAll('&amp;', '&')
    expect(url).toBe('/ui/fragments/swap/progress?seen=swp_0123456789abcdef%3Arunning')
    // Polled again, still running: nothing to tell the rest of the page.
    expect((await get(app, url)).res.headers.get('HX-Trigger')).toBeNull()
    fake.data.state = { state: 'idle', job: finishedJob('ready') }
    const ended = await get(app, url)
    expect(ended.res.headers.get('HX-Trigger')).toBe('swap-changed')
    expect(tagWith(ended.html, 'id="swap-progress"')).toContain('seen=swp_0123456789abcdef%3Aready')
    // The page's first render has no `seen`: no trigger for a page that was just drawn.
    expect((await get(app, '/ui/fragments/swap/progress')).res.headers.get('HX-Trigger')).toBeNull()
  })

  it('sends the model card along, from the same state read, while a switch runs', async () => {
    const fake = fakeSwapSource({ state: { state: 'loading', job: runningJob() } })
    const html = await progress(fake)
    expect(html).toMatch(/<section hx-swap-oob="true" id="model-card"/)
    expect(html).toContain('<p class="model-switching" data-step="loading">')
    expect(fake.callsOf('state')).toHaveLength(1)
    const idle = await progress(fakeSwapSource())
    expect(idle).not.toContain('model-card')
  })

  it('says under the last switch that the model was stopped since, when it was', async () => {
    const fake = fakeSwapSource({ state: { state: 'idle', job: finishedJob('ready') } })
    const stop = {
      ...fake.data.history[0]!,
      id: 50,
      action: 'swap.stop',
      outcome: 'ok',
      actor: 'alice',
      at: '2030-01-01T12:04:00.000Z',
    }
    fake.data.history = [stop, ...fake.data.history]
    const html = await progress(fake)
    expect(html).toContain('Since then alice stopped the model at 12:04:00 UTC; no chat model is loaded now.')
    // A stop from before that switch says nothing about it.
    fake.data.history = [{ ...stop, at: '2030-01-01T11:00:00.000Z' }]
    expect(await progress(fake)).not.toContain('data-stopped-since')
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
    expect(html).toContain(
      'aria-label="Tokens written per second, recent minutes: now 42.6 tok/s · low 40.0 tok/s · high 42.6 tok/s"',
    )
    expect(html).toContain(
      '<span class="spark-scale" aria-hidden="true" data-spark-scale="">now 42.6 tok/s · low 40.0 tok/s · high 42.6 tok/s</span>',
    )
    expect(html).not.toContain('Switching to')
  })

  it('says swap-changed when the served model differs from what the page showed (a stop through the API)', async () => {
    const app = dashboard(fakeSwapSource())
    const same = await get(app, `/ui/fragments/model?seen=${encodeURIComponent(CURRENT_MODEL)}`)
    expect(same.res.headers.get('hx-trigger')).toBeNull()
    expect(tagWith(same.html, 'id="model-card"')).toContain(`?seen=${encodeURIComponent(CURRENT_MODEL)}`)
    const t = sampleTelemetry()
    t.vllm = { ...t.vllm, models: [] }
    const stopped = await get(
      dashboard(fakeSwapSource({ telemetry: t })),
      `/ui/fragments/model?seen=${encodeURIComponent(CURRENT_MODEL)}`,
    )
    expect(stopped.res.headers.get('hx-trigger')).toBe('swap-changed')
  })

  it('says which model it is switching to while a switch runs', async () => {
    const t = sampleTelemetry()
    t.vllm = {
      ...t.vllm,
      models: [],
      at: null,
      error: { message: 'connection refused', at: '2030-01-01T12:00:08.000Z' },
    }
    const html = await card(fakeSwapSource({ telemetry: t, state: { state: 'loading', job: runningJob() } }))
    expect(tagWith(html, 'id="model-card"')).toContain('data-state="swapping"')
    expect(html).toContain('Switching to <strong>llama-70b</strong>: Loading the model, 55 % done.')
    expect(html).not.toContain('data-stat=')
    expect(tagWith(html, 'id="model-card"')).toContain('hx-trigger="every 3s, swap-changed from:body"')
  })

  it('no longer names the old model once the switch has stopped it, whatever the last vLLM reading says', async () => {
    // Telemetry still lists the old model (read before it was stopped).
    const html = await card(fakeSwapSource({ state: { state: 'loading', job: runningJob() } }))
    expect(html).not.toContain(CURRENT_MODEL)
    expect(html).toContain('No model is answering during the switch')
    // While answers in progress finish, the old model still answers and is named.
    const draining = runningJob('llama-70b', { status: 'draining', progress: null })
    const early = await card(fakeSwapSource({ state: { state: 'draining', job: draining } }))
    expect(early).toContain(`data-loaded-model="${CURRENT_MODEL}"`)
    expect(early).toContain('Finishing answers in progress')
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
