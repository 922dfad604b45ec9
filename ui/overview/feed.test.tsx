/**
 * The overview's feed with the swap-controller: every live part of one read in one event, parts
 * that must not flicker sent only on change, and a click on the overview answered with its notice
 * alone while the feed redraws the rest at once.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { type SseEvent, sseReader } from '../fixtures/sse.ts'
import { fakeSwapSource, HELD_LOCK, runningJob } from '../fixtures/swap.ts'
import { dashboard, tagWith } from '../fixtures/swap-app.ts'

const shutdowns: AbortController[] = []
afterEach(() => {
  for (const s of shutdowns.splice(0)) s.abort()
})

async function open(fake: ReturnType<typeof fakeSwapSource>, statusIntervalMs: number) {
  const shutdown = new AbortController()
  shutdowns.push(shutdown)
  const app = dashboard(fake, { statusIntervalMs, shutdown: shutdown.signal })
  const res = await app.request('/ui/events/status')
  return { app, events: sseReader(res.body!) }
}

/** The next event that carries the part `id`. */
async function nextWith(events: ReturnType<typeof sseReader>, id: string): Promise<SseEvent | undefined> {
  for (let i = 0; i < 20; i++) {
    const e = await events.next()
    if (!e || e.data.includes(`id="${id}"`)) return e
  }
  return undefined
}

describe('the overview feed with the swap-controller', () => {
  it('sends the summary, cards, model card, progress, lock and switch form of one read in one event', async () => {
    const fake = fakeSwapSource({ state: { state: 'loading', job: runningJob('llama-70b') } })
    const { events } = await open(fake, 60_000)
    const first = (await events.next())!
    expect(first.event).toBe('overview')
    const data = first.data
    expect(data).toContain('Switching the chat model to org/llama-70b')
    expect(data).not.toContain('Everything is working')
    expect(data).not.toContain('Nothing is busy right now')
    for (const id of ['model-card', 'swap-progress', 'lock-banner', 'switch-form']) {
      const tag = tagWith(data, `id="${id}"`)
      expect(tag).toContain('hx-swap-oob="true"')
      // On the overview these parts have no timer of their own: only the feed redraws them.
      expect(tag).not.toContain('hx-trigger')
    }
    expect(tagWith(data, 'id="swap-progress"')).toContain('data-outcome="running"')
    expect(data).toContain('data-action="cancel"')
    expect(data).toContain('data-switch-blocked="running"')
    await events.cancel()
  })

  it('re-sends the lock notice only when it changes, so a lock taken later shows at the next tick', async () => {
    const fake = fakeSwapSource()
    const { events } = await open(fake, 20)
    expect((await events.next())?.data).toContain('id="lock-banner"')
    const quiet = [(await events.next())!, (await events.next())!]
    expect(quiet.map((e) => e.data.includes('id="lock-banner"'))).toEqual([false, false])
    fake.data.lock = HELD_LOCK
    const held = await nextWith(events, 'lock-banner')
    expect(held?.data).toContain('data-lock-held="true"')
    expect(held?.data).toContain('data-action="release-lock"')
    // The switch form says why it cannot be used, in the same event.
    expect(held?.data).toContain('data-switch-blocked="lock"')
    await events.cancel()
  })

  it('answers a switch confirmed on the overview with its notice only, and the feed shows the switch at once', async () => {
    const fake = fakeSwapSource()
    const { app, events } = await open(fake, 60_000)
    expect((await events.next())?.data).toContain('Everything is working')
    const res = await app.request('/ui/actions/swap', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'HX-Request': 'true',
        'HX-Current-URL': 'http://spark-control.local/',
      },
      body: new URLSearchParams({ recipe: 'llama-70b' }).toString(),
    })
    expect(res.headers.get('HX-Reswap')).toBe('none')
    const html = await res.text()
    expect(html).toContain('<div id="swap-notice" hx-swap-oob="true"></div>')
    expect(html).toContain('<div id="swap-confirm" hx-swap-oob="true"></div>')
    expect(html).not.toContain('swap-progress')
    // Woken by the click: the next event comes now, not after the minute's pause.
    const next = await events.next(2000)
    expect(next?.data).toContain('Switching the chat model to org/llama-70b')
    expect(tagWith(next!.data, 'id="swap-progress"')).toContain('data-outcome="running"')
    await events.cancel()
  })

  it('answers the same click on the swap page with the progress panel, as before', async () => {
    const fake = fakeSwapSource()
    const app = dashboard(fake)
    const res = await app.request('/ui/actions/swap', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'HX-Request': 'true',
        'HX-Current-URL': 'http://spark-control.local/ui/swap',
      },
      body: new URLSearchParams({ recipe: 'llama-70b' }).toString(),
    })
    expect(res.headers.get('HX-Reswap')).toBeNull()
    expect(tagWith(await res.text(), 'id="swap-progress"')).toContain('hx-trigger="every 1s"')
  })
})
