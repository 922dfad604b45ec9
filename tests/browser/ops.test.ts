/**
 * The operations page on the real stack in a real browser: it shows the simulated Spark service
 * containers with parakeet running; restarting parakeet shows the dry run's commands first, then,
 * confirmed, the result; the parakeet memory-cap patch shows missing, and applied after the
 * re-apply flow; a sweep started through the API shows its knee table; the page works without
 * JavaScript and at phone width.
 */
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { OpsServicesAnswer, SweepResult } from '../../shared/contracts/swap-controller.ts'
import { eventually, useDemo } from '../support/demo.ts'
import { useChromium } from './chromium.ts'

const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url))
const fixture = useDemo({ name: 'browser-ops' })
const browser = useChromium()

/** What the controller itself says about a service (asked through the gateway, not the page). */
async function service(name: string) {
  const res = await fetch(fixture.url('/api/ops/services'))
  const body = (await res.json()) as OpsServicesAnswer
  return body.services.find((s) => s.name === name)
}

async function openPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser().newPage()
  const errors: string[] = []
  page.on('pageerror', (err) => errors.push(err.message))
  await page.goto(fixture.url('/'))
  await page.click('nav a[href="/ui/ops"]')
  return { page, errors }
}

describe('the operations page (simulated cluster)', () => {
  it('shows parakeet running and restarts it after showing the dry run and asking', async () => {
    const { page, errors } = await openPage()
    const card = page.locator('article[data-service="parakeet"]')
    await card.waitFor()
    expect(await card.getAttribute('data-state')).toBe('running')
    expect(await card.textContent()).toContain('parakeet-asr')
    const before = (await service('parakeet'))?.started_at
    expect(before).toBeTruthy()

    await card.locator('[data-action="restart"]').click()
    const question = page.locator('[data-confirm-restart="parakeet"]')
    await question.waitFor()
    expect(await question.textContent()).toContain('stops the container parakeet-asr and starts it again')
    expect(await question.locator('pre[data-commands]').textContent()).toMatch(
      /docker\W+restart\b.*parakeet-asr/,
    )
    // The dry run touched nothing.
    expect((await service('parakeet'))?.started_at).toBe(before)

    await page.click('[data-action="confirm-restart"]')
    const result = page.locator('[data-restart-result="parakeet"]')
    await result.waitFor({ timeout: 90_000 })
    expect(await result.textContent()).toContain('Restarted parakeet')
    expect(await result.getAttribute('data-tone')).toBe('good')
    await eventually(
      () => service('parakeet'),
      (s) => s?.started_at !== before,
    )
    await page.screenshot({ path: `${ARTIFACTS}ops-restart.png`, fullPage: true })
    expect(errors).toEqual([])
    await page.close()
  }, 120_000)

  it('shows the memory-cap patch missing, then applied after the re-apply flow', async () => {
    const { page, errors } = await openPage()
    const row = page.locator('tr[data-patch="parakeet-memory-cap"][data-patch-service="parakeet"]')
    await row.waitFor()
    expect(await row.getAttribute('data-state')).toBe('missing')

    await page.click('[data-action="reapply"]')
    const question = page.locator('[data-confirm-patches]')
    await question.waitFor()
    expect(await question.locator('[data-plan-patch="parakeet-memory-cap"] pre').textContent()).toMatch(
      /docker\W+update\b.*parakeet-asr/,
    )
    await page.click('[data-action="confirm-reapply"]')
    const report = page.locator('[data-patch-report]')
    await report.waitFor({ timeout: 60_000 })
    expect(await report.getAttribute('data-patch-report')).toBe('ok')
    expect(await report.locator('[data-run-patch="parakeet-memory-cap"]').first().textContent()).toContain(
      'applied',
    )
    await page.waitForSelector(
      'tr[data-patch="parakeet-memory-cap"][data-patch-service="parakeet"][data-state="applied"]',
    )
    expect(errors).toEqual([])
    await page.close()
  }, 90_000)

  it('shows a sweep started through the API with its levels and recommended limit', async () => {
    const started = await fetch(fixture.url('/api/ops/sweeps'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ target: 'embeddings', levels: [1, 2], cell_s: 0.5, warmup_s: 0, confirm: true }),
    })
    expect(started.status, await started.clone().text()).toBe(202)
    const { id } = (await started.json()) as SweepResult
    const done = await eventually(
      () => fetch(fixture.url(`/api/ops/sweeps/${id}`)).then((r) => r.json() as Promise<SweepResult>),
      (s) => s.status !== 'running',
      60_000,
    )
    expect(done.status).toBe('done')
    const { page, errors } = await openPage()
    const shown = page.locator(`section[data-sweep-target="embeddings"] [data-sweep="${id}"]`)
    await shown.waitFor()
    expect(await shown.locator('tr[data-level]').count()).toBe(done.cells.length)
    expect(await shown.locator('[data-recommendation]').textContent()).toContain(
      done.recommended_limit === null ? 'No recommendation' : `Recommended limit: ${done.recommended_limit}`,
    )
    expect(errors).toEqual([])
    await page.close()
  }, 90_000)

  it('is filled in without JavaScript, and fits a phone', async () => {
    const context = await browser().newContext({
      javaScriptEnabled: false,
      viewport: { width: 390, height: 844 },
    })
    const page = await context.newPage()
    await page.goto(fixture.url('/ui/ops'))
    expect(await page.locator('article[data-service="parakeet"]').count()).toBe(1)
    expect(await page.locator('tr[data-patch]').count()).toBeGreaterThan(0)
    // Without JavaScript the Restart button is a link to the page with the question on it.
    await page.click('article[data-service="kokoro"] [data-action="restart"]')
    await page.waitForSelector('[data-confirm-restart="kokoro"]')
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await page.screenshot({ path: `${ARTIFACTS}ops-phone.png`, fullPage: true })
    await context.close()
  }, 60_000)
})
