/**
 * The overview in a real browser (Debian's Chromium via playwright-core): it shows the model and
 * the states, updates live over SSE without a reload, labels the simulator, and fits a phone.
 */
import { mkdirSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { type ServerType, serve } from '@hono/node-server'
import { Hono } from 'hono'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { ClusterStatus } from '../../services/gateway/domain/cluster-status.ts'
import { silentLogger } from '../../shared/logger.ts'
import type { AppEnv } from '../../shared/service.ts'
import { untilAborted } from '../../shared/testing/deferred.ts'
import { buildDashboard } from '../../ui/app.tsx'
import { SAMPLE_MODEL, sampleStatus, withUpstream } from '../../ui/fixtures/sample-status.ts'
import { NAV_ITEMS } from '../../ui/layout/nav.tsx'
import { launchChromium } from './chromium.ts'

const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url))

let browser: Browser
let server: ServerType
let baseUrl: string
const shutdown = new AbortController()
const fake = {
  status: sampleStatus() as ClusterStatus | Error,
  calls: 0,
  /** While set, each status read waits until its stream lets go of it (and is kept in `parked`). */
  park: false,
  parked: [] as AbortSignal[],
}
const pages: Page[] = []

function fresh(): ClusterStatus {
  return sampleStatus()
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true })
  const dashboard = buildDashboard({
    getStatus: async (signal) => {
      fake.calls++
      if (fake.park && signal) {
        fake.parked.push(signal)
        await untilAborted(signal)
      }
      // A fresh checked_at each time, like the gateway's own status.
      if (fake.status instanceof Error) throw fake.status
      return { ...fake.status, checked_at: new Date().toISOString() }
    },
    simulated: true,
    logger: silentLogger(),
    shutdown: shutdown.signal,
    statusIntervalMs: 250,
  })
  // Mounted the way the gateway mounts it, under a parent app.
  const app = new Hono<AppEnv>().route('/', dashboard)
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve())
  })
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  browser = await launchChromium()
})

afterEach(async () => {
  await Promise.all(pages.splice(0).map((p) => p.context().close()))
  fake.status = fresh()
  fake.park = false
  fake.parked = []
})

afterAll(async () => {
  shutdown.abort()
  await browser?.close()
  if (server) {
    // Plain HTTP/1.1 here; closing idle keep-alive sockets lets close() finish at once.
    ;(server as Server).closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
})

/** A page in its own context, failing the test on any script error or CSP violation. */
async function openPage(viewport = { width: 1280, height: 900 }, colorScheme: 'light' | 'dark' = 'light') {
  const context = await browser.newContext({ viewport, colorScheme })
  const page = await context.newPage()
  pages.push(page)
  const problems: string[] = []
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`))
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`${res.status()} ${res.url()}`)
  })
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`)
  })
  await page.goto(`${baseUrl}/`)
  // dashboard.js marks the page live once the SSE stream has opened.
  await expect
    .poll(() => page.evaluate(() => document.documentElement.dataset.live), { timeout: 5000 })
    .toBe('on')
  return { page, problems }
}

const text = async (page: Page, selector: string) =>
  ((await page.locator(selector).first().textContent()) ?? '').trim()

describe('overview in Chromium', () => {
  it('shows the model and states, then updates live without a reload', async () => {
    const { page, problems } = await openPage()
    expect(await text(page, '#live-summary .model')).toBe(`Chat model: ${SAMPLE_MODEL}`)
    expect(await text(page, '.summary-text')).toBe('Everything is working')
    expect(await page.locator('.card').count()).toBe(13)
    expect(await text(page, '[data-card="upstream:parakeet"] .badge')).toContain('Up')
    expect(await page.locator('[data-banner="simulated"]').isVisible()).toBe(true)
    expect(await text(page, '[data-banner="simulated"]')).toContain(
      'Simulated cluster — no real Sparks are connected.',
    )
    await page.screenshot({ path: `${ARTIFACTS}overview.png`, fullPage: true })

    // Marks this document: a reload would lose it.
    await page.evaluate(() => Object.assign(window, { __sameDocument: true }))
    const down = withUpstream(fresh(), 'parakeet', {
      state: 'down',
      detail: 'Connection refused on port 8000',
    })
    fake.status = {
      ...down,
      overall: 'degraded',
      summary: 'Speech to text is down',
      loaded_model: 'GLM-4.5-Air',
    }

    await expect.poll(() => text(page, '.summary-text'), { timeout: 5000 }).toBe('Speech to text is down')
    await expect
      .poll(() => text(page, '#live-summary .model'), { timeout: 5000 })
      .toBe('Chat model: GLM-4.5-Air')
    await expect
      .poll(() => page.locator('[data-card="upstream:parakeet"]').getAttribute('data-state'), {
        timeout: 5000,
      })
      .toBe('down')
    expect(await text(page, '[data-card="upstream:parakeet"]')).toContain('Connection refused on port 8000')
    expect(await page.locator('.summary-label').textContent()).toContain('Needs attention')
    expect(await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument)).toBe(true)
    await page.screenshot({ path: `${ARTIFACTS}overview-degraded.png`, fullPage: true })
    expect(problems).toEqual([])
  })

  it('says it cannot reach the status while getStatus fails, and recovers by itself', async () => {
    const { page } = await openPage()
    fake.status = new Error('gateway exploded')
    await expect
      .poll(() => text(page, '.summary-text'), { timeout: 5000 })
      .toBe("Cannot reach the gateway's status — retrying")
    expect(await page.content()).not.toContain('gateway exploded')
    await expect
      .poll(() => page.locator('.notice-warn:visible').count(), { timeout: 5000 })
      .toBeGreaterThan(0)
    await page.screenshot({ path: `${ARTIFACTS}overview-unreachable.png` })
    fake.status = fresh()
    await expect.poll(() => text(page, '.summary-text'), { timeout: 5000 }).toBe('Everything is working')
  })

  it('fits a phone screen without horizontal scrolling and with large tap targets', async () => {
    const { page, problems } = await openPage({ width: 390, height: 844 })
    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      view: window.innerWidth,
    }))
    expect(widths.scroll).toBeLessThanOrEqual(widths.view)
    const heights = await page
      .locator('nav a')
      .evaluateAll((links) => links.map((a) => a.getBoundingClientRect().height))
    // Every page of the menu is there (a link that wrapped off screen would be missing).
    expect(heights).toHaveLength(NAV_ITEMS.length)
    for (const h of heights) expect(h).toBeGreaterThanOrEqual(44)
    const columns = await page
      .locator('.cards')
      .first()
      .evaluate((el) => getComputedStyle(el).gridTemplateColumns)
    expect(columns.split(' ')).toHaveLength(1)
    expect(await page.locator('[data-banner="simulated"]').isVisible()).toBe(true)
    await page.screenshot({ path: `${ARTIFACTS}overview-phone.png` })
    await page.screenshot({ path: `${ARTIFACTS}overview-phone-full.png`, fullPage: true })
    expect(problems).toEqual([])
  })

  it('follows a dark colour scheme', async () => {
    const { page, problems } = await openPage({ width: 1280, height: 900 }, 'dark')
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
    expect(background).toBe('rgb(17, 20, 24)')
    await page.screenshot({ path: `${ARTIFACTS}overview-dark.png` })
    expect(problems).toEqual([])
  })

  it('navigates to a placeholder page inside the same layout', async () => {
    const { page } = await openPage()
    await page.getByRole('link', { name: 'Swap', exact: true }).click()
    await page.waitForURL(`${baseUrl}/ui/swap`)
    expect(await text(page, 'h1')).toBe('Swap model')
    await page.screenshot({ path: `${ARTIFACTS}placeholder-swap.png` })
    expect(await text(page, 'nav a[aria-current="page"]')).toBe('Swap')
    expect(await page.locator('[data-banner="simulated"]').isVisible()).toBe(true)
    await page.getByRole('link', { name: 'Back to the overview' }).click()
    await page.waitForURL(`${baseUrl}/`)
  })

  it('stops polling the status once the browser tab is closed', async () => {
    const { page } = await openPage()
    // The next read waits on its stream: the server letting go of it is the event to wait for.
    fake.park = true
    await vi.waitFor(() => expect(fake.parked).toHaveLength(1), { timeout: 5000 })
    await page.context().close()
    pages.splice(pages.indexOf(page), 1)
    await vi.waitFor(() => expect(fake.parked[0]!.aborted).toBe(true), { timeout: 5000 })
    const after = fake.calls
    // One status interval (250 ms): a loop that outlived its stream would have read again by now.
    await new Promise((r) => setTimeout(r, 250))
    expect(fake.calls).toBe(after)
  })
})
