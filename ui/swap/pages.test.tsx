/** The swap and overview pages with a fake swap-controller: what each shows, and that a failing read never becomes an error page. */
import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../shared/logger.ts'
import { buildDashboard } from '../app.tsx'
import { sampleStatus } from '../fixtures/sample-status.ts'
import {
  catalogModel,
  fakeSwapSource,
  fitsAnswer,
  HELD_LOCK,
  runningJob,
  sampleTelemetry,
} from '../fixtures/swap.ts'
import { dashboard, get, HOSTILE, post, rowOf, tagWith } from '../fixtures/swap-app.ts'

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
    expect(
      fake
        .callsOf('validate')
        .map((a) => a[0])
        .sort(),
    ).toEqual(['big-tight', 'flaky', 'gpt-oss-120b', 'llama-70b', 'qwen3-coder-30b'].sort())
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
    expect(free.html).toMatch(
      /<div id="lock-banner" hx-get="\/ui\/fragments\/lock" hx-trigger="every 10s, swap-changed from:body"[^>]*><\/div>/,
    )
    expect(free.html).not.toContain('data-lock-held')
    const held = await get(dashboard(fakeSwapSource({ lock: HELD_LOCK })), '/ui/swap')
    const banner = /<div id="lock-banner"[\s\S]*?<\/div>/.exec(held.html)![0]
    expect(banner).toContain('data-lock-held="true"')
    expect(banner).toContain('<strong>nightly-eval</strong>')
    expect(banner).toContain('benchmark run')
    // The expiry as a person reads it; the exact instant stays in the datetime attribute.
    expect(banner).toContain('until <time datetime="2030-01-01T12:50:00.000Z">12:50 UTC</time> (in 50 min)')
    expect(banner).toContain('data-action="release-lock"')
  })

  it('offers no Switch while swaps are reserved, and says why, in the list and as a notice', async () => {
    const { html } = await get(dashboard(fakeSwapSource({ lock: HELD_LOCK })), '/ui/swap')
    const row = rowOf(html, 'llama-70b')
    expect(row).not.toContain('data-action="switch"')
    expect(row).toContain('<span class="switch-blocked muted" data-blocked="lock">Swaps are reserved</span>')
    expect(html).toContain(
      'data-switch-blocked="lock">Swaps are reserved by nightly-eval (benchmark run) until 12:50 UTC (in 50 min). ' +
        'Switching is paused until then: release the reservation, or wait for it to end.',
    )
  })

  it('offers no Switch while a switch runs, and does not check fits meanwhile', async () => {
    const fake = fakeSwapSource({ state: { state: 'loading', job: runningJob() } })
    const { html } = await get(dashboard(fake), '/ui/swap')
    expect(html).not.toContain('data-action="switch"')
    expect(rowOf(html, 'gpt-oss-120b')).toContain('data-blocked="running">After the running switch</span>')
    expect(rowOf(html, 'gpt-oss-120b')).toContain('Checked again once the switch ends')
    expect(html).toContain('A switch to llama-70b is running. Wait for it to finish, or cancel it first.')
    expect(fake.callsOf('validate')).toEqual([])
    // vLLM's last word still says the old model is loaded; past draining the switch has stopped it.
    expect(rowOf(html, 'qwen3-coder-30b')).toContain('data-fit="stopped" data-loaded="false"')
    expect(rowOf(html, 'qwen3-coder-30b')).toContain('Stopped for the switch')
    expect(rowOf(html, 'qwen3-coder-30b')).not.toContain('>Loaded<')
    expect(rowOf(html, 'llama-70b')).toContain('Switching to it now')
    expect(tagWith(html, 'id="swap-recipes"')).toContain('hx-trigger="swap-changed from:body, every 3s"')
    const draining = runningJob('llama-70b', { status: 'draining', progress: null })
    const early = await get(
      dashboard(fakeSwapSource({ state: { state: 'draining', job: draining } })),
      '/ui/swap',
    )
    expect(rowOf(early.html, 'qwen3-coder-30b')).toContain('Running now, stops next')
  })

  it('refreshes the recipe list by itself: on swap-changed and every 30 s, with the Loaded mark as it is now', async () => {
    const fake = fakeSwapSource()
    const app = dashboard(fake)
    const page = await get(app, '/ui/swap')
    const section = tagWith(page.html, 'id="swap-recipes"')
    expect(section).toContain('hx-get="/ui/fragments/swap/recipes"')
    expect(section).toContain('hx-trigger="swap-changed from:body, every 30s"')
    expect(rowOf(page.html, 'qwen3-coder-30b')).toContain('data-loaded="true"')
    // The switch ended: llama is loaded now, qwen is not.
    for (const m of fake.data.catalog.models) m.loaded = m.key === 'llama-70b'
    const fresh = await get(app, '/ui/fragments/swap/recipes')
    expect(fresh.html).toMatch(/^<div id="swap-recipes"/)
    expect(rowOf(fresh.html, 'llama-70b')).toContain('data-loaded="true"')
    expect(rowOf(fresh.html, 'llama-70b')).not.toContain('data-action="switch"')
    expect(rowOf(fresh.html, 'qwen3-coder-30b')).toContain('data-loaded="false"')
    expect(rowOf(fresh.html, 'qwen3-coder-30b')).toContain('data-action="switch"')
  })

  it('says "no timed load yet" for the loaded model without a recorded load, and notes in plain words', async () => {
    const fake = fakeSwapSource()
    fake.data.catalog.models[0]!.history = []
    fake.data.catalog.notes = [
      'vLLM did not say what it serves (connect ECONNREFUSED); every recipe shows loaded: false',
    ]
    const { html } = await get(dashboard(fake), '/ui/swap')
    expect(rowOf(html, 'qwen3-coder-30b')).toContain('no timed load yet')
    expect(rowOf(html, 'qwen3-coder-30b')).not.toContain('not loaded here yet')
    expect(rowOf(html, 'gpt-oss-120b')).toContain('not loaded here yet')
    expect(html).toContain(
      'The chat model server is not answering, so this list cannot show which model is loaded right now.',
    )
    expect(html).not.toContain('loaded: false')
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
    const running = await get(
      dashboard(fakeSwapSource({ state: { state: 'loading', job: runningJob() } })),
      '/',
    )
    expect(running.html).toContain('data-outcome="running"')
    expect(running.html).toContain('INFO worker ready')
    const fake = fakeSwapSource()
    fake.failAll()
    const down = await get(dashboard(fake), '/')
    expect(down.res.status).toBe(200)
    expect(down.html).toContain('Not known right now')
    expect(down.html).not.toContain('class="switch-form"')
    expect(down.html).toContain('Everything is working')
  })

  it('shows the lock notice on the overview too, and no Switch while swaps are reserved', async () => {
    const { html } = await get(dashboard(fakeSwapSource({ lock: HELD_LOCK })), '/')
    expect(html).toContain('data-lock-held="true"')
    expect(html).toContain('12:50 UTC</time> (in 50 min)')
    expect(html).not.toContain('class="switch-form"')
    // The overview's feed refreshes the form with everything else; it has no timer of its own.
    expect(tagWith(html, 'id="switch-form"')).not.toContain('hx-trigger')
    expect(html).toContain('data-switch-blocked="lock"')
    expect(tagWith(html, 'id="switch-form"')).not.toContain('hx-include')
    const running = await get(
      dashboard(fakeSwapSource({ state: { state: 'loading', job: runningJob() } })),
      '/',
    )
    expect(running.html).not.toContain('class="switch-form"')
    expect(running.html).toContain('data-switch-blocked="running"')
    const fragment = await get(dashboard(fakeSwapSource()), '/ui/fragments/swap/switch-form')
    expect(fragment.html).toMatch(/^<div id="switch-form"/)
    expect(fragment.html).toContain('class="switch-form"')
    // The refresh sends the choice being made and gets it back selected (never reset to the first).
    expect(tagWith(fragment.html, 'id="switch-form"')).toContain('hx-include="#switch-recipe"')
    const kept = await get(dashboard(fakeSwapSource()), '/ui/fragments/swap/switch-form?recipe=big-tight')
    expect(kept.html).toContain('<option value="big-tight" selected="">')
    const hostile = await get(
      dashboard(fakeSwapSource()),
      `/ui/fragments/swap/switch-form?recipe=${encodeURIComponent('"><b>')}`,
    )
    expect(hostile.html).not.toContain('selected')
    expect(hostile.html).not.toContain('<b>')
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

describe('the key banner, with API keys on for the controls', () => {
  it('offers the unlock form, coming back to this page, instead of the "open to anyone" banner', async () => {
    const { html } = await get(dashboard(fakeSwapSource(), { controlsOpen: false }), '/ui/history')
    expect(html).not.toContain('data-banner="open-controls"')
    expect(html).toContain('data-banner="locked"')
    expect(html).toContain('action="/ui/unlock"')
    expect(html).toContain('name="next" value="/ui/history"')
    expect(html).not.toContain('data-unlock="refused"')
    const refused = await get(dashboard(fakeSwapSource(), { controlsOpen: false }), '/ui/swap?unlock=refused')
    expect(refused.html).toContain('data-unlock="refused"')
    const needed = await get(dashboard(fakeSwapSource(), { controlsOpen: false }), '/ui/swap?unlock=needed')
    expect(needed.html).toContain(
      '<strong>Nothing was changed:</strong> unlock the controls with an API key first.',
    )
    const unknown = await get(dashboard(fakeSwapSource(), { controlsOpen: false }), '/ui/swap?unlock=%3Cb%3E')
    expect(unknown.html).not.toContain('data-unlock=')
  })

  it('shows no key banner while the controls are open', async () => {
    const { html } = await get(dashboard(), '/')
    expect(html).toContain('data-banner="open-controls"')
    expect(html).not.toContain('data-banner="locked"')
  })
})

describe('fit checks on the swap page', () => {
  it('shares one round of fit checks between views a moment apart, and checks again after an action', async () => {
    const fake = fakeSwapSource()
    const app = dashboard(fake)
    const validates = () => fake.calls.filter((c) => c.method === 'validate').length
    await get(app, '/ui/swap')
    const perView = validates()
    expect(perView).toBeGreaterThan(0)
    await get(app, '/ui/swap')
    expect(validates()).toBe(perView)
    await post(app, '/ui/actions/swap/cancel')
    await get(app, '/ui/swap')
    expect(validates()).toBe(2 * perView)
  })
})
