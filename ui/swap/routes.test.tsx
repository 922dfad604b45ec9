import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../shared/logger.ts'
import { buildDashboard } from '../app.tsx'
import { sampleStatus } from '../fixtures/sample-status.ts'
import {
  catalogModel,
  CURRENT_MODEL,
  fakeSwapSource,
  finishedJob,
  fitsAnswer,
  HELD_LOCK,
  runningJob,
  sampleTelemetry,
  SWAP_NOW,
} from '../fixtures/swap.ts'
import { SwapSourceError } from './source.ts'

type Fake = ReturnType<typeof fakeSwapSource>

function dashboard(fake: Fake = fakeSwapSource()) {
  return buildDashboard({
    getStatus: () => Promise.resolve(sampleStatus(new Date('2030-01-01T12:00:08Z'))),
    simulated: true,
    logger: silentLogger(),
    shutdown: new AbortController().signal,
    now: () => SWAP_NOW,
    swap: fake.source,
  })
}

const get = async (app: ReturnType<typeof dashboard>, path: string, headers: Record<string, string> = {}) => {
  const res = await app.request(path, { headers })
  return { res, html: await res.text() }
}

const post = async (app: ReturnType<typeof dashboard>, path: string, form: Record<string, string> = {}, htmx = true) => {
  const res = await app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(htmx ? { 'HX-Request': 'true' } : {}) },
    body: new URLSearchParams(form).toString(),
  })
  return { res, html: await res.text() }
}

/** The opening tag of the element carrying `attr`, to read its other attributes. */
const tagWith = (html: string, attr: string) => {
  const m = new RegExp(`<[a-z]+[^>]*${attr.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^>]*>`).exec(html)
  if (!m) throw new Error(`no element with ${attr}`)
  return m[0]
}
const rowOf = (html: string, key: string) => {
  const m = new RegExp(`<tr data-recipe="${key}"[\\s\\S]*?</tr>`).exec(html)
  if (!m) throw new Error(`no row for ${key}`)
  return m[0]
}

const HOSTILE = [';rm -rf /', '$(id)', '`id`', '../x', 'llama-70b\nid', 'llama-70b;id', '-rf']

describe('GET /ui/swap', () => {
  it('lists every recipe with the fit verdict the controller gave for it', async () => {
    const fake = fakeSwapSource()
    const { res, html } = await get(dashboard(fake), '/ui/swap')
    expect(res.status).toBe(200)
    expect(tagWith(rowOf(html, 'llama-70b'), 'data-fit=')).toContain('data-fit="fits"')
    expect(rowOf(html, 'llama-70b')).toContain('about 4 min')
    expect(rowOf(html, 'gpt-oss-120b')).toContain('data-fit="no-fit"')
    expect(rowOf(html, 'gpt-oss-120b')).toContain('spark-1 needs 110.0 GiB but would have 90.0 GiB')
    expect(rowOf(html, 'big-tight')).toContain('data-fit="tight"')
    const loaded = rowOf(html, 'qwen3-coder-30b')
    expect(loaded).toContain('data-fit="loaded"')
    expect(loaded).toContain('Running now')
    expect(loaded).not.toContain('data-action="switch"')
    const broken = rowOf(html, 'broken-recipe')
    expect(broken).toContain('data-valid="false"')
    expect(broken).toContain('Invalid recipe')
    expect(broken).toContain('`model` or `local_path` is required.')
    const flaky = rowOf(html, 'flaky')
    expect(flaky).toContain('data-fit="unknown"')
    expect(flaky).toContain('Could not check: ssh: spark-2 did not answer within 8 s')
    // Each valid recipe is checked once; the invalid one never.
    expect(fake.callsOf('validate').map((a) => a[0]).sort()).toEqual(
      ['big-tight', 'flaky', 'gpt-oss-120b', 'llama-70b', 'qwen3-coder-30b'].sort(),
    )
    expect(rowOf(html, 'llama-70b')).toContain('href="/ui/swap?recipe=llama-70b#swap-confirm"')
    expect(rowOf(html, 'llama-70b')).toContain('hx-get="/ui/fragments/swap/confirm?recipe=llama-70b"')
  })

  it('shows one card per node with its state, stale readings as stale', async () => {
    const fake = fakeSwapSource()
    const t = sampleTelemetry()
    t.nodes[1] = { ...t.nodes[1]!, errors: [] }
    t.nodes[1]!.gpu = { ...t.nodes[1]!.gpu!, at: '2030-01-01T11:59:00.000Z' }
    t.nodes.push({ ...t.nodes[1]!, node: 'spark-3', configured: false, gpu: null, memory: null, disk: null })
    fake.data.telemetry = t
    const { html } = await get(dashboard(fake), '/ui/swap')
    expect(html).toContain('data-node="spark-1" data-state="up"')
    expect(html).toContain('data-node="spark-2" data-state="stale"')
    expect(html).toContain('Read 70 s ago (out of date)')
    expect(html).toContain('data-node="spark-3" data-state="not_configured"')
    expect(html.match(/data-node="/g)).toHaveLength(3)

    fake.data.telemetry = sampleTelemetry()
    const again = await get(dashboard(fake), '/ui/fragments/nodes')
    expect(again.html).toContain('data-node="spark-2" data-state="degraded"')
    expect(again.html).toContain('disk: df: /models: No such file or directory')
  })

  it('shows the lock banner only while swaps are reserved', async () => {
    const free = await get(dashboard(), '/ui/swap')
    expect(free.html).toContain('<div id="lock-banner"></div>')
    expect(free.html).not.toContain('data-lock-held')
    const held = await get(dashboard(fakeSwapSource({ lock: HELD_LOCK })), '/ui/swap')
    const banner = /<div id="lock-banner"[\s\S]*?<\/div>/.exec(held.html)![0]
    expect(banner).toContain('data-lock-held="true"')
    expect(banner).toContain('<strong>nightly-eval</strong>')
    expect(banner).toContain('benchmark run')
    expect(banner).toContain('data-action="release-lock"')
  })

  it('still answers 200 and says what is not available when every read fails', async () => {
    const fake = fakeSwapSource()
    fake.failAll()
    for (const path of ['/ui/swap', '/ui/swap?recipe=llama-70b']) {
      const { res, html } = await get(dashboard(fake), path)
      expect(res.status, path).toBe(200)
      expect(html).toContain('The model list is not available right now')
      expect(html).toContain('Node readings are not available right now')
      expect(html).toContain('The swap controller is not answering')
      expect(html).toContain('data-state="unknown"')
      expect(html).not.toContain('ECONNREFUSED')
      expect(html).not.toContain('data-confirm=')
    }
  })

  it('pre-renders the confirmation for ?recipe= (the way without JavaScript)', async () => {
    const { html } = await get(dashboard(), '/ui/swap?recipe=llama-70b')
    const panel = /<div id="swap-confirm">([\s\S]*?)<section id="swap-progress"/.exec(html)![1]!
    expect(panel).toContain('data-confirm="llama-70b"')
    expect(panel).toContain('Switch the chat model to Llama 3.3 70B?')
    expect(panel).toContain('<form method="post" action="/ui/actions/swap"')
    expect(panel).toContain('<input type="hidden" name="recipe" value="llama-70b"/>')
    const none = await get(dashboard(), '/ui/swap')
    expect(none.html).toContain('<div id="swap-confirm"></div>')
  })

  it('ignores a hostile ?recipe= without asking the controller about it, even when a recipe file has that name', async () => {
    for (const recipe of HOSTILE) {
      const fake = fakeSwapSource()
      fake.data.catalog.models.push(catalogModel(recipe))
      fake.data.validate[recipe] = fitsAnswer(recipe)
      const { res, html } = await get(dashboard(fake), `/ui/swap?recipe=${encodeURIComponent(recipe)}`)
      expect(res.status).toBe(200)
      expect(html).toContain('<div id="swap-confirm"></div>')
      expect(fake.callsOf('validate').map((a) => a[0])).not.toContain(recipe)
      expect(fake.callsOf('validate').length).toBeGreaterThan(0)
    }
  })
})

describe('GET /ui/fragments/swap/confirm', () => {
  const confirm = (fake: Fake, recipe: string) =>
    get(dashboard(fake), `/ui/fragments/swap/confirm?recipe=${encodeURIComponent(recipe)}`, { 'HX-Request': 'true' })

  it('says in plain words what stops, how it runs, what it needs, whether it fits and how long it usually takes', async () => {
    const { res, html } = await confirm(fakeSwapSource(), 'llama-70b')
    expect(res.status).toBe(200)
    expect(html).not.toContain('<html')
    expect(html).toContain('data-allowed="true"')
    expect(html).toContain(`<strong>${CURRENT_MODEL}</strong> stops first.`)
    expect(html).toContain('It runs across both Sparks (spark-1, spark-2) and needs about 45 GiB of memory on each.')
    expect(html).toContain('<li data-fit="fits">Fits: every node has room once the current model is stopped.')
    // Free once stopped = free now + what stopping the current model gives back (50 + 40, 70 + 20).
    expect(html).toContain('spark-1: 90 GiB free once stopped, 45 GiB needed.')
    expect(html).toContain('spark-2: 90 GiB free once stopped, 45 GiB needed.')
    expect(html).toContain('Loading usually takes about 4 min (from its last 3 successful loads).')
    expect(html).toContain(`goes back to ${CURRENT_MODEL} by itself`)
    expect(html).toContain('data-action="confirm-swap"')
    expect(html).toContain('Yes, switch to Llama 3.3 70B')
    expect(html).toContain('spark-1$ docker rm -f &#39;vllm_node&#39;')
    expect(html).not.toContain('data-lock-held')
    expect(html).not.toContain('data-refused')
  })

  it('says so when the model was never loaded here and nothing is running now', async () => {
    const fake = fakeSwapSource()
    fake.data.validate['big-tight'] = { ...fake.data.validate['big-tight'] as ReturnType<typeof fitsAnswer>, from_model: null }
    const { html } = await confirm(fake, 'big-tight')
    expect(html).toContain('No model is answering now, so nothing is interrupted.')
    expect(html).toContain('It runs on one Spark (spark-1)')
    expect(html).toContain('It has not been loaded here before')
    expect(html).toContain('goes back to no model by itself')
    // Tight under the warn policy: allowed, with the warning shown.
    expect(html).toContain('<li data-fit="tight">Does not fit: spark-1 needs 100.0 GiB')
    expect(html).toContain('The fit policy allows it anyway')
    // Said once, not again as a separate warning.
    expect(html.match(/Does not fit/g)).toHaveLength(1)
    expect(html).toContain('data-action="confirm-swap"')
  })

  it('offers no confirm button for a fit the controller refuses, and says why', async () => {
    const { html } = await confirm(fakeSwapSource(), 'gpt-oss-120b')
    expect(html).toContain('data-allowed="false"')
    expect(html).toContain('<li data-fit="no-fit">')
    expect(html).toContain(
      '<p class="notice notice-bad" data-refused="true">This switch cannot start: Does not fit: spark-1 needs 110.0 GiB but would have 90.0 GiB.</p>',
    )
    expect(html).not.toContain('data-action="confirm-swap"')
    expect(html).not.toContain('action="/ui/actions/swap"')
    expect(html).toContain('data-action="dismiss"')
  })

  it('warns that a switch will be refused while swaps are reserved', async () => {
    const { html } = await confirm(fakeSwapSource({ lock: HELD_LOCK }), 'llama-70b')
    expect(html).toContain(
      'data-lock-held="true">Swaps are reserved by <strong>nightly-eval</strong> until 2030-01-01T12:50:00.000Z (benchmark run)',
    )
    expect(html).toContain('will be refused unless you release the reservation')
  })

  it('answers a notice for an unknown, invalid or hostile recipe, and never passes it on', async () => {
    for (const recipe of ['no-such-model', 'broken-recipe', ...HOSTILE]) {
      const fake = fakeSwapSource()
      // Even a recipe file named like this (the catalog lists file names) is refused before any call.
      if (HOSTILE.includes(recipe)) {
        fake.data.catalog.models.push(catalogModel(recipe))
        fake.data.validate[recipe] = fitsAnswer(recipe)
      }
      const { res, html } = await confirm(fake, recipe)
      expect(res.status, recipe).toBe(200)
      expect(html, recipe).toContain('<p class="notice notice-warn">There is no usable recipe named')
      expect(html).not.toContain('data-confirm=')
      expect(fake.callsOf('validate'), recipe).toEqual([])
      expect(fake.callsOf('start'), recipe).toEqual([])
    }
  })

  it('says the same when the controller cannot check the recipe', async () => {
    const { html } = await confirm(fakeSwapSource(), 'flaky')
    expect(html).toContain('There is no usable recipe named flaky.')
    expect(html).not.toContain('data-action="confirm-swap"')
  })

  it('answers an empty body when no recipe is chosen ("Keep the current model")', async () => {
    const fake = fakeSwapSource()
    const { res, html } = await get(dashboard(fake), '/ui/fragments/swap/confirm')
    expect(res.status).toBe(200)
    expect(html).toBe('')
    expect(fake.calls).toEqual([])
    expect((await get(dashboard(fake), '/ui/fragments/swap/confirm?recipe=')).html).toBe('')
  })
})

describe('POST /ui/actions/swap', () => {
  it('starts the switch as the dashboard and answers the progress, clearing the confirmation out of band', async () => {
    const fake = fakeSwapSource()
    const { res, html } = await post(dashboard(fake), '/ui/actions/swap', { recipe: 'llama-70b' })
    expect(res.status).toBe(200)
    expect(fake.callsOf('start')).toEqual([['llama-70b', 'dashboard']])
    expect(html).toMatch(/^<section id="swap-progress"/)
    expect(html).toContain('data-outcome="running"')
    expect(html).toContain('hx-trigger="every 1s"')
    expect(html).toContain('Switching to llama-70b')
    expect(html).toContain('data-step="draining" data-step-status="current"')
    expect(html.endsWith('<div id="swap-confirm" hx-swap-oob="true"></div>')).toBe(true)
    expect(html).not.toContain('data-notice')
  })

  it('shows the controller refusal (423 lock, 409 busy) as a notice with status 200', async () => {
    const cases = [
      new SwapSourceError(423, 'The swap lock is held by nightly-eval until 12:50 UTC.'),
      new SwapSourceError(409, 'A swap to gpt-oss-120b is in progress; cancel it first.', { job_id: 'swp_1' }),
    ]
    for (const err of cases) {
      const fake = fakeSwapSource()
      fake.fail.start = err
      const { res, html } = await post(dashboard(fake), '/ui/actions/swap', { recipe: 'llama-70b' })
      expect(res.status).toBe(200)
      expect(html).toContain(`<p class="notice notice-warn" role="alert" data-notice="warn">${err.message.replace("'", '&#39;')}</p>`)
      expect(html).toContain('hx-swap-oob="true"')
      expect(html).toContain('data-outcome="none"')
    }
  })

  it('says nothing was changed when the controller does not answer at all', async () => {
    const fake = fakeSwapSource()
    fake.fail.start = new Error('connect ECONNREFUSED 127.0.0.1:9104')
    const { html } = await post(dashboard(fake), '/ui/actions/swap', { recipe: 'llama-70b' })
    expect(html).toContain('data-notice="bad"')
    expect(html).toContain('The swap controller did not answer; nothing was changed.')
    expect(html).not.toContain('ECONNREFUSED')
  })

  it('redirects back to the swap page without htmx (a plain form post)', async () => {
    const fake = fakeSwapSource()
    const { res } = await post(dashboard(fake), '/ui/actions/swap', { recipe: 'llama-70b' }, false)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/ui/swap')
    expect(fake.callsOf('start')).toEqual([['llama-70b', 'dashboard']])
  })

  it('refuses a missing or hostile recipe with a notice and never starts anything', async () => {
    for (const recipe of ['', ...HOSTILE]) {
      const fake = fakeSwapSource()
      const { res, html } = await post(dashboard(fake), '/ui/actions/swap', { recipe })
      expect(res.status).toBe(200)
      expect(html).toContain('data-notice="bad">Pick a model from the list first.</p>')
      expect(fake.callsOf('start')).toEqual([])
    }
    const fake = fakeSwapSource()
    await post(dashboard(fake), '/ui/actions/swap', {})
    expect(fake.callsOf('start')).toEqual([])
  })
})

describe('POST /ui/actions/swap/cancel and /ui/actions/lock/release', () => {
  it('cancels as the dashboard and shows the progress', async () => {
    const fake = fakeSwapSource({ state: { state: 'loading', job: runningJob() } })
    const { res, html } = await post(dashboard(fake), '/ui/actions/swap/cancel')
    expect(res.status).toBe(200)
    expect(fake.callsOf('cancel')).toEqual([['dashboard']])
    expect(html).toContain('id="swap-progress"')
    expect(html).not.toContain('data-notice')
  })

  it('shows "No swap is in progress." as a notice', async () => {
    const fake = fakeSwapSource()
    fake.fail.cancel = new SwapSourceError(409, 'No swap is in progress.')
    const { res, html } = await post(dashboard(fake), '/ui/actions/swap/cancel')
    expect(res.status).toBe(200)
    expect(html).toContain('data-notice="warn">No swap is in progress.</p>')
    const plain = await post(dashboard(fake), '/ui/actions/swap/cancel', {}, false)
    expect(plain.res.status).toBe(303)
  })

  it('force-releases the lock as the dashboard and answers the banner gone', async () => {
    const fake = fakeSwapSource({ lock: HELD_LOCK })
    const { res, html } = await post(dashboard(fake), '/ui/actions/lock/release')
    expect(res.status).toBe(200)
    expect(fake.callsOf('forceReleaseLock')).toEqual([['dashboard']])
    expect(html).toBe('<div id="lock-banner"></div>')
    expect((await get(dashboard(fake), '/ui/swap')).html).not.toContain('data-lock-held')
  })

  it('keeps showing the banner when the release fails', async () => {
    const fake = fakeSwapSource({ lock: HELD_LOCK })
    fake.fail.forceReleaseLock = new SwapSourceError(403, 'Held by nightly-eval.')
    const { html } = await post(dashboard(fake), '/ui/actions/lock/release')
    expect(html).toContain('data-lock-held="true"')
    expect(html).toContain('nightly-eval')
  })
})

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

describe('GET /ui/history', () => {
  it('lists every audit entry with a dry-run badge and the total time', async () => {
    const fake = fakeSwapSource()
    const { res, html } = await get(dashboard(fake), '/ui/history')
    expect(res.status).toBe(200)
    expect(html).toContain('<a href="/ui/history" aria-current="page">History</a>')
    expect(html.match(/<tr data-audit="/g)).toHaveLength(3)
    const real = /<tr data-audit="12"[\s\S]*?<\/tr>/.exec(html)![0]
    expect(real).toContain('Switch model<strong> llama-70b</strong>')
    expect(real).not.toContain('dry run')
    expect(real).toContain('>3 min 45 s</td>')
    expect(real).toContain('<time datetime="2030-01-01T11:40:00.000Z">2030-01-01 11:40:00</time>')
    const dry = /<tr data-audit="11"[\s\S]*?<\/tr>/.exec(html)![0]
    expect(dry).toContain('<span class="badge tone-off">dry run</span>')
    expect(dry).toContain('>—</td>')
    expect(html).toContain('Force-release reservation')
    expect(fake.callsOf('history')).toEqual([[200]])
  })

  it('says the history is not available when the read fails, with status 200', async () => {
    const fake = fakeSwapSource()
    fake.fail.history = new Error('connect ECONNREFUSED')
    const { res, html } = await get(dashboard(fake), '/ui/history')
    expect(res.status).toBe(200)
    expect(html).toContain('The history is not available right now; reload to retry.')
    expect(html).not.toContain('ECONNREFUSED')
    expect((await get(dashboard(fakeSwapSource({ history: [] })), '/ui/history')).html).toContain('Nothing has changed on the cluster yet.')
  })
})

describe('GET / with the swap-controller', () => {
  it('adds the model card and a switch form listing only valid recipes that are not loaded', async () => {
    const { res, html } = await get(dashboard(), '/')
    expect(res.status).toBe(200)
    expect(html).toContain('id="model-card"')
    const form = /<form class="switch-form"[\s\S]*?<\/form>/.exec(html)![0]
    const options = [...form.matchAll(/<option value="([^"]+)">/g)].map((m) => m[1])
    expect(options).toEqual(['llama-70b', 'gpt-oss-120b', 'big-tight', 'flaky'])
    expect(form).toContain('action="/ui/swap"')
    expect(form).toContain('hx-get="/ui/fragments/swap/confirm"')
    expect(html).toContain('<div id="swap-confirm"></div>')
    expect(html).toContain('id="swap-progress"')
    expect(html).toContain('Everything is working')
  })

  it('shows the running switch and still renders when the controller is down', async () => {
    const running = await get(dashboard(fakeSwapSource({ state: { state: 'loading', job: runningJob() } })), '/')
    expect(running.html).toContain('data-outcome="running"')
    expect(running.html).toContain('INFO worker ready')
    const fake = fakeSwapSource()
    fake.failAll()
    const down = await get(dashboard(fake), '/')
    expect(down.res.status).toBe(200)
    expect(down.html).toContain('Not known right now')
    expect(down.html).not.toContain('switch-form')
    expect(down.html).toContain('Everything is working')
  })

  it('leaves the overview without the model card when no swap-controller is given', async () => {
    const app = buildDashboard({
      getStatus: () => Promise.resolve(sampleStatus()),
      simulated: true,
      logger: silentLogger(),
      shutdown: new AbortController().signal,
    })
    const html = await (await app.request('/')).text()
    expect(html).not.toContain('id="model-card"')
    expect(html).not.toContain('swap-progress')
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

describe('GET /ui/logs', () => {
  it('shows every node\'s newest lines, refreshing itself, with a filter per known node', async () => {
    const fake = fakeSwapSource()
    const { res, html } = await get(dashboard(fake), '/ui/logs')
    expect(res.status).toBe(200)
    expect(html).toContain('Loading safetensors checkpoint shards: 40% Completed')
    expect(html).toContain('INFO worker ready')
    expect(tagWith(html, 'id="log-lines"')).toContain('hx-trigger="every 2s"')
    expect(html).toContain('href="/ui/logs?node=spark-2"')
    expect(fake.calls.find((c) => c.method === 'recentLogs')?.args).toEqual([300])
  })

  it('filters by a known node only; an unknown or hostile one is ignored, never passed on', async () => {
    const fake = fakeSwapSource()
    const one = await get(dashboard(fake), '/ui/fragments/logs?node=spark-2')
    expect(one.html).toContain('INFO worker ready')
    expect(one.html).not.toContain('safetensors')
    for (const node of ['spark-9', '$(id)', '../etc']) {
      await get(dashboard(fake), `/ui/fragments/logs?node=${encodeURIComponent(node)}`)
    }
    const asked = fake.calls.filter((c) => c.method === 'recentLogs').map((c) => c.args[1])
    expect(asked).toEqual(['spark-2', undefined, undefined, undefined])
  })

  it('says the logs are unavailable, not an error page, when the controller does not answer', async () => {
    const fake = fakeSwapSource()
    fake.fail.recentLogs = new Error('connect ECONNREFUSED')
    const { res, html } = await get(dashboard(fake), '/ui/logs')
    expect(res.status).toBe(200)
    expect(html).toContain('not available right now')
  })
})
