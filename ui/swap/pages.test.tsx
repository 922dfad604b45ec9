/** The swap, history, logs and overview pages with a fake swap-controller: what each shows, and that a failing read never becomes an error page. */
import { describe, expect, it } from 'vitest'
import { dashboard, get, post, tagWith, rowOf, HOSTILE } from '../fixtures/swap-app.ts'
import { catalogModel, fakeSwapSource, fitsAnswer, HELD_LOCK, runningJob, sampleTelemetry } from '../fixtures/swap.ts'
import { buildDashboard } from '../app.tsx'
import { silentLogger } from '../../shared/logger.ts'
import { sampleStatus } from '../fixtures/sample-status.ts'

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
    expect(needed.html).toContain('<strong>Nothing was changed:</strong> unlock the controls with an API key first.')
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
