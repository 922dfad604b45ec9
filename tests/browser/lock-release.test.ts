import { describe, expect, it } from 'vitest'
import { useDemo } from '../support/demo.ts'
import { useChromium } from './chromium.ts'

const fixture = useDemo({ name: 'browser-lock-release' })
const browser = useChromium()

/** The overview's feed ticks every 2 s; three ticks is ample, a 10 s timer of its own is not it. */
const REFRESH_CYCLE_MS = 6000

const lockState = async () =>
  (await (await fetch(fixture.url('/api/swap/lock'))).json()) as { held: boolean; holder?: string }

describe('the lock notice on the overview', () => {
  it('appears without a reload when the lock is taken through the API, and its button releases it', async () => {
    expect((await lockState()).held).toBe(false)
    const page = await browser().newPage()
    const errors: string[] = []
    page.on('pageerror', (err) => errors.push(err.message))
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text())
    })
    await page.goto(fixture.url('/'))
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.live)).toBe('on')
    expect(await page.locator('[data-lock-held]').count()).toBe(0)
    expect(await page.locator('#switch-recipe').count()).toBe(1)
    // Survives only as long as the page is not reloaded.
    await page.evaluate(() => {
      ;(window as unknown as { sameLoad: boolean }).sameLoad = true
    })

    const taken = await fetch(fixture.url('/api/swap/lock'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ holder: 'nightly-eval', note: 'benchmark run' }),
    })
    expect(taken.status).toBe(200)

    const release = page.locator('#lock-banner [data-action="release-lock"]')
    await expect.poll(() => release.isVisible(), { timeout: REFRESH_CYCLE_MS }).toBe(true)
    expect(await page.textContent('#lock-banner')).toContain('nightly-eval')
    expect(await page.textContent('#lock-banner')).toContain('benchmark run')
    // The switch form says why it cannot be used, from the same refresh.
    expect(await page.locator('[data-switch-blocked="lock"]').count()).toBe(1)
    expect(await page.evaluate(() => (window as unknown as { sameLoad?: boolean }).sameLoad)).toBe(true)

    await release.click()
    await expect.poll(async () => (await lockState()).held, { timeout: 10_000 }).toBe(false)
    await expect.poll(() => page.locator('[data-lock-held]').count(), { timeout: REFRESH_CYCLE_MS }).toBe(0)
    await expect.poll(() => page.locator('#switch-recipe').count(), { timeout: REFRESH_CYCLE_MS }).toBe(1)
    expect(await page.evaluate(() => (window as unknown as { sameLoad?: boolean }).sameLoad)).toBe(true)

    await page.goto(fixture.url('/ui/history'))
    expect(await page.textContent('tr[data-action="lock.force_release"]')).toContain('dashboard')
    // The merged view names the service; its filter form narrows the table by a plain GET.
    expect(
      await page.locator('tr[data-action="lock.force_release"][data-service="swap-controller"]').count(),
    ).toBe(1)
    await page.selectOption('form.audit-filters select[name="service"]', 'vector-search')
    await page.click('form.audit-filters button[type="submit"]')
    await expect.poll(() => page.url()).toContain('service=vector-search')
    expect(await page.locator('tr[data-action="lock.force_release"]').count()).toBe(0)
    expect(errors).toEqual([])
    await page.close()
  }, 60_000)
})
