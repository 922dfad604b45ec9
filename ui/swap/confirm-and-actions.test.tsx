/** The confirmation before a switch and the forms behind it: plain words, refusals as notices, hostile values stopped before any call. */
import { describe, expect, it } from 'vitest'
import {
  CURRENT_MODEL,
  catalogModel,
  fakeSwapSource,
  fitsAnswer,
  HELD_LOCK,
  runningJob,
} from '../fixtures/swap.ts'
import { dashboard, type Fake, get, HOSTILE, post } from '../fixtures/swap-app.ts'
import { SwapSourceError } from './source.ts'

describe('GET /ui/fragments/swap/confirm', () => {
  const confirm = (fake: Fake, recipe: string) =>
    get(dashboard(fake), `/ui/fragments/swap/confirm?recipe=${encodeURIComponent(recipe)}`, {
      'HX-Request': 'true',
    })

  it('says in plain words what stops, how it runs, what it needs, whether it fits and how long it usually takes', async () => {
    const { res, html } = await confirm(fakeSwapSource(), 'llama-70b')
    expect(res.status).toBe(200)
    expect(html).not.toContain('<html')
    expect(html).toContain('data-allowed="true"')
    expect(html).toContain(`<strong>${CURRENT_MODEL}</strong> stops first.`)
    expect(html).toContain(
      'It runs across both Sparks (spark-1, spark-2) and needs about 45 GiB of memory on each.',
    )
    expect(html).toContain('<li data-fit="fits">Fits: every node has room once the current model is stopped.')
    // Free once stopped = free now + what stopping the current model gives back (50 + 40, 70 + 20).
    expect(html).toContain('spark-1: 90 GiB free once the current model is stopped, 45 GiB needed.')
    expect(html).toContain('spark-2: 90 GiB free once the current model is stopped, 45 GiB needed.')
    expect(html).toContain('Loading usually takes about 4 min (from its last 3 successful loads).')
    expect(html).toContain(`goes back to ${CURRENT_MODEL} by itself`)
    expect(html).toContain('data-action="confirm-swap"')
    expect(html).toContain('Yes, switch to Llama 3.3 70B')
    expect(html).toContain('spark-1$ docker rm -f &#39;vllm_node&#39;')
    expect(html).not.toContain('data-lock-held')
    expect(html).not.toContain('data-refused')
    expect(html).toContain('Keep the current model')
  })

  it('words every sentence for a solo model when nothing is loaded: no "each", no "once stopped", no going back', async () => {
    const fake = fakeSwapSource()
    const solo = fitsAnswer('big-tight')
    fake.data.validate['big-tight'] = {
      ...solo,
      mode: 'solo',
      from_model: null,
      fit: { ...solo.fit!, per_node: [{ ...solo.fit!.per_node[0]!, freed_bytes: 0 }] },
    }
    const { html } = await confirm(fake, 'big-tight')
    expect(html).toContain('It runs on one Spark (spark-1) and needs about 45 GiB of memory there.')
    expect(html).not.toContain(' on each')
    expect(html).toContain('<li data-fit="fits">Fits: spark-1 has room.')
    expect(html).toContain('spark-1: 50 GiB free, 45 GiB needed.')
    expect(html).not.toContain('once')
    expect(html).toContain('cleans up after it, so no model is loaded (as now)')
    expect(html).not.toContain('goes back to')
    expect(html).not.toContain('Keep the current model')
    expect(html).toContain('>Not now</a>')
    expect(html).toContain('data-action="confirm-swap"')
  })

  it('says so when the model was never loaded here and nothing is running now', async () => {
    const fake = fakeSwapSource()
    fake.data.validate['big-tight'] = {
      ...(fake.data.validate['big-tight'] as ReturnType<typeof fitsAnswer>),
      from_model: null,
    }
    const { html } = await confirm(fake, 'big-tight')
    expect(html).toContain('No model is answering now, so nothing is interrupted.')
    expect(html).toContain('It runs on one Spark (spark-1)')
    expect(html).toContain('It has not been loaded here before')
    expect(html).toContain('so no model is loaded (as now)')
    expect(html).toContain('may run out of memory and stop.')
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

  it('offers no "Yes" while swaps are reserved, and says who holds them, until when, and what to do', async () => {
    const { html } = await confirm(fakeSwapSource({ lock: HELD_LOCK }), 'llama-70b')
    expect(html).toContain('data-allowed="false"')
    expect(html).toContain(
      'data-lock-held="true">Not now: Swaps are reserved by nightly-eval (benchmark run) until 12:50 UTC (in 50 min).',
    )
    expect(html).toContain('release the reservation, or wait for it to end.')
    expect(html).not.toContain('2030-01-01T12:50')
    expect(html).not.toContain('data-action="confirm-swap"')
    expect(html).toContain('data-action="dismiss"')
  })

  it('offers no "Yes" while another switch runs, and says to wait or cancel it', async () => {
    const { html } = await confirm(
      fakeSwapSource({ state: { state: 'loading', job: runningJob('gpt-oss-120b') } }),
      'llama-70b',
    )
    expect(html).toContain('data-switch-blocked="running"')
    expect(html).toContain(
      'Not now: A switch to gpt-oss-120b is running. Wait for it to finish, or cancel it first.',
    )
    expect(html).not.toContain('data-action="confirm-swap"')
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

  it('says the check could not be done, not that the recipe is unusable, when the controller does not answer', async () => {
    const { html } = await confirm(fakeSwapSource(), 'flaky')
    expect(html).toContain('data-confirm-unavailable="flaky"')
    expect(html).toContain('could not be checked just now')
    expect(html).not.toContain('no usable recipe')
    expect(html).not.toContain('data-action="confirm-swap"')
    // The same when the catalog itself does not come.
    const fake = fakeSwapSource()
    fake.fail.catalog = new SwapSourceError(504, 'the swap-controller did not answer')
    const noCatalog = await confirm(fake, 'llama-70b')
    expect(noCatalog.html).toContain('data-confirm-unavailable="llama-70b"')
    expect(noCatalog.html).not.toContain('no usable recipe')
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
      new SwapSourceError(409, 'The swap lock is held by nightly-eval until 12:50 UTC.'),
      new SwapSourceError(409, 'A swap to gpt-oss-120b is in progress; cancel it first.', {
        job_id: 'swp_1',
      }),
    ]
    for (const err of cases) {
      const fake = fakeSwapSource()
      fake.fail.start = err
      const { res, html } = await post(dashboard(fake), '/ui/actions/swap', { recipe: 'llama-70b' })
      expect(res.status).toBe(200)
      expect(html).toContain(
        `<p class="notice notice-warn" role="alert" data-notice="warn">${err.message.replace("'", '&#39;')}</p>`,
      )
      expect(html).toContain('hx-swap-oob="true"')
      expect(html).toContain('data-outcome="none"')
      // Beside the self-refreshing panel, not in it, so the next refresh does not wipe it out.
      const panel = /<section id="swap-progress"[\s\S]*?<\/section>/.exec(html)![0]
      expect(panel).not.toContain('data-notice')
      expect(html).toMatch(/<div id="swap-notice" hx-swap-oob="true"><p class="notice notice-warn"/)
    }
  })

  it("says a lock refusal in an operator's words: who holds it, until when, how to release; never the lock's token", async () => {
    const fake = fakeSwapSource()
    fake.fail.start = new SwapSourceError(
      423,
      "The swap lock is held by nightly-eval; this needs the lock's token.",
    )
    fake.data.lock = HELD_LOCK
    const { res, html } = await post(dashboard(fake), '/ui/actions/swap', { recipe: 'llama-70b' })
    // A lock taken after the page loaded: the lock notice re-reads now and shows its release button.
    expect(res.headers.get('HX-Trigger')).toBe('swap-changed')
    expect(html).toContain(
      'data-notice="warn">Not switched: Swaps are reserved by nightly-eval (benchmark run) until 12:50 UTC',
    )
    expect(html).not.toContain('token')
    // Released between the refusal and the look at the lock: says so without inventing a holder.
    fake.data.lock = { held: false }
    const again = await post(dashboard(fake), '/ui/actions/swap', { recipe: 'llama-70b' })
    expect(again.html).toContain(
      'Not switched: swaps were reserved by someone else at that moment. Try again.',
    )
  })

  it('tells the rest of the page that a switch started (HX-Trigger: swap-changed)', async () => {
    const { res } = await post(dashboard(), '/ui/actions/swap', { recipe: 'llama-70b' })
    expect(res.headers.get('HX-Trigger')).toBe('swap-changed')
  })

  it('empties an earlier notice when an action goes through', async () => {
    const { html } = await post(dashboard(), '/ui/actions/swap', { recipe: 'llama-70b' })
    expect(html).toContain('<div id="swap-notice" hx-swap-oob="true"></div>')
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

  it('without htmx, brings a refusal back to the swap page once', async () => {
    const fake = fakeSwapSource()
    fake.fail.start = new SwapSourceError(
      423,
      "The swap lock is held by nightly-eval; this needs the lock's token.",
    )
    fake.data.lock = HELD_LOCK
    const app = dashboard(fake)
    const { res } = await post(app, '/ui/actions/swap', { recipe: 'llama-70b' }, false)
    expect(res.status).toBe(303)
    const back = res.headers.get('location')!
    expect(back).toMatch(/^\/ui\/swap\?notice=[0-9a-f-]{36}$/)
    expect(back).not.toContain('nightly')
    const shown = await get(app, back)
    expect(shown.res.status).toBe(200)
    expect(shown.html).toContain(
      '<div class="notice notice-warn" role="alert" data-notice="warn"><p>Not switched: Swaps are reserved by nightly-eval ' +
        '(benchmark run) until 12:50 UTC (in 50 min). Release the reservation, or wait for it to end.</p></div>',
    )
    expect(shown.html).not.toContain('token')
    // A reload shows the page as it is now, not the old answer.
    expect((await get(app, back)).html).not.toContain('Not switched')
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
    const app = dashboard(fake)
    const plain = await post(app, '/ui/actions/swap/cancel', {}, false)
    expect(plain.res.status).toBe(303)
    expect((await get(app, plain.res.headers.get('location')!)).html).toContain('No swap is in progress.')
  })

  it('force-releases the lock as the dashboard and answers the banner gone', async () => {
    const fake = fakeSwapSource({ lock: HELD_LOCK })
    const { res, html } = await post(dashboard(fake), '/ui/actions/lock/release')
    expect(res.status).toBe(200)
    expect(fake.callsOf('forceReleaseLock')).toEqual([['dashboard']])
    expect(html).toMatch(/^<div id="lock-banner" hx-get="\/ui\/fragments\/lock"[^>]*><\/div>$/)
    expect(res.headers.get('HX-Trigger')).toBe('swap-changed')
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
