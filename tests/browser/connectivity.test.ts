/**
 * The connectivity page on the real stack in a real browser: it lists every target the monitor
 * watches, grouped by node; stopping a simulated upstream shows it down on the open page without a
 * reload (the feed), and starting it again shows it up and adds an outage row with its duration.
 * Planning maintenance asks first and goes through the dashboard's action path; the page works
 * without JavaScript and at phone width.
 */
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useDemo } from '../support/demo.ts'
import { internalProver, provenFetch } from '../support/internal-proof.ts'
import { useChromium } from './chromium.ts'

const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url))
const fixture = useDemo({ name: 'browser-connectivity' })
const browser = useChromium()

/** Straight to the monitor, with the internal proof the gateway would carry. */
const monitorFetch = (url: string) => provenFetch(internalProver(fixture.demo().stack))(url)

/** What the monitor itself says it watches (asked directly, not through the page). */
async function monitorTargets(): Promise<string[]> {
  const res = await monitorFetch(`${fixture.demo().stack.url('connectivity-monitor')}/api/monitor/targets`)
  const body = (await res.json()) as { targets: Array<{ id: string }> }
  return body.targets.map((t) => t.id).sort()
}

const stateOf = (page: Page, id: string) => page.getAttribute(`tr[data-target="${id}"]`, 'data-state')

describe('the connectivity page (simulated cluster)', () => {
  it('lists every target, shows an upstream going down live, then its outage with a duration', async () => {
    const page = await browser().newPage()
    const errors: string[] = []
    page.on('pageerror', (err) => errors.push(err.message))
    await page.goto(fixture.url('/'))
    await page.click('nav a[href="/ui/connectivity"]')
    await page.waitForSelector('#conn-states tr[data-target]')
    const listed = await page
      .locator('#conn-states tr[data-target]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-target') ?? '').sort())
    expect(listed).toEqual(await monitorTargets())
    for (const id of ['spark-1', 'spark-2', 'vllm', 'embeddings', 'gateway']) expect(listed).toContain(id)
    expect(await page.locator('#conn-states .sim-tag').count()).toBeGreaterThan(0)
    await expect.poll(() => stateOf(page, 'embeddings'), { timeout: 15_000 }).toBe('up')
    // Marks this very page: a reload would lose it, so what follows arrives through the feed.
    await page.evaluate(() => document.body.setAttribute('data-not-reloaded', 'yes'))

    const embeddings = fixture.demo().sim.embeddings
    await embeddings.setMode('down')
    try {
      await page.waitForSelector('tr[data-target="embeddings"][data-state="down"]', { timeout: 15_000 })
      expect(await page.textContent('#conn-summary')).toContain('Down:')
      // The outage table shows it while it lasts, then the upstream comes back.
      await page.waitForSelector('tr[data-outage-target="embeddings"][data-ongoing="true"]', {
        timeout: 15_000,
      })
      expect(await page.textContent('tr[data-outage-target="embeddings"][data-ongoing="true"]')).toContain(
        'ongoing',
      )
    } finally {
      await embeddings.setMode('ok')
    }
    await page.waitForSelector('tr[data-target="embeddings"][data-state="up"]', { timeout: 15_000 })
    // The down outage: the monitor may log a mixed spell around the recovery apart, as degraded.
    const outage = page
      .locator('tr[data-outage-target="embeddings"][data-severity="down"][data-ongoing="false"]')
      .first()
    await outage.waitFor({ timeout: 15_000 })
    const ms = Number(await outage.getAttribute('data-duration-ms'))
    const recorded = await monitorFetch(
      `${fixture.demo().stack.url('connectivity-monitor')}/api/monitor/outages`,
    ).then((r) => r.text())
    expect(ms, recorded).toBeGreaterThan(0)
    expect(await outage.locator('[data-duration]').textContent()).toMatch(/^\d+(\.\d)? (s|min)/)
    expect(await page.locator('tr[data-timeline="embeddings"] rect[data-segment]').count()).toBeGreaterThan(0)
    expect(await page.getAttribute('body', 'data-not-reloaded')).toBe('yes')
    await page.screenshot({ path: `${ARTIFACTS}connectivity.png`, fullPage: true })
    expect(errors).toEqual([])
    await page.close()
  })

  it('plans maintenance after asking, lists it, and ends it after asking again', async () => {
    const page = await browser().newPage()
    await page.goto(fixture.url('/ui/connectivity'))
    await page.check('input[name="targets"][value="kokoro"]')
    await page.fill('#conn-reason', 'moving the box')
    await page.click('[data-action="add-window"]')
    await page.waitForSelector('[data-confirm-window]')
    await page.click('[data-action="confirm-window"]')
    await page.waitForSelector('[data-notice="good"]:has-text("Planned maintenance")')
    const window = page.locator('li[data-window-source="owner"]:has-text("moving the box")')
    await window.waitFor()
    await window.locator('[data-action="remove-window"]').click()
    await page.waitForSelector('[data-confirm-remove]')
    await page.click('[data-action="confirm-remove"]')
    await page.waitForSelector('[data-notice="good"]:has-text("Ended the maintenance window")')
    expect(await page.locator('li[data-window-source="owner"]:has-text("moving the box")').count()).toBe(0)
    await page.close()
  })

  it('is filled in without JavaScript, and fits a phone', async () => {
    const context = await browser().newContext({
      javaScriptEnabled: false,
      viewport: { width: 390, height: 844 },
    })
    const page = await context.newPage()
    await page.goto(fixture.url('/ui/connectivity'))
    expect(await page.locator('#conn-states tr[data-target]').count()).toBe((await monitorTargets()).length)
    expect(await page.locator('tr[data-uptime]').count()).toBeGreaterThan(0)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await page.screenshot({ path: `${ARTIFACTS}connectivity-phone.png`, fullPage: true })
    await context.close()
  })
})
