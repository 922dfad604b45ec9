/**
 * A person uses search from the dashboard on the real stack in a real browser: makes a collection,
 * ingests a pasted document, sees the count move, asks a hybrid query with a rerank and gets the
 * document back with its scores and the time each stage took; re-ingesting it unchanged writes
 * nothing; a long paste is followed as a job to the end; deleting the collection asks first. With JavaScript (htmx answers in place) and without
 * (plain forms, the page comes back).
 */
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useDemo } from '../support/demo.ts'
import { useChromium } from './chromium.ts'

const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url))
const fixture = useDemo({ name: 'browser-search' })
const browser = useChromium()

const DOC = [
  'Refund policy',
  '',
  'Customers may ask for a refund within thirty days of delivery. The refund goes back to the card that paid.',
  '',
  'Shipping',
  '',
  'Parcels leave the warehouse within two working days; tracking numbers arrive by email.',
].join('\n')
const OTHER = 'Our office plants are watered on Mondays. The kettle is in the kitchen on the second floor.'
/** A handbook long enough (over 20,000 characters) for the page to ingest it as a job and show its progress. */
const HANDBOOK = Array.from(
  { length: 240 },
  (_, i) =>
    `Section ${i + 1} of the handbook explains rule ${i + 1}: keep receipts for ${i + 2} years and file them by month.`,
).join('\n\n')

async function makeCollection(page: Page, name: string) {
  await page.fill('#search-new-name', name)
  await page.click('[data-action="create-collection"]')
  await page.waitForSelector(`tr[data-collection="${name}"][aria-current="true"]`)
  expect(await page.getAttribute(`tr[data-collection="${name}"] [data-points]`, 'data-points')).toBe('0')
  expect(await page.textContent('[data-notice="good"]')).toContain(`Made the collection ${name}.`)
}

async function ingest(page: Page, docId: string, text: string, status: string) {
  await page.fill('#search-doc-id', docId)
  await page.fill('#search-doc-text', text)
  await page.fill('#search-doc-metadata', '{"source": "browser-test"}')
  await page.click('[data-action="ingest"]')
  await page.waitForSelector(`[data-ingest-status="${status}"]`, { timeout: 20_000 })
  const chunks = Number(await page.getAttribute('[data-ingest-status]', 'data-chunks'))
  expect(chunks).toBeGreaterThan(0)
  return chunks
}

/** A large paste becomes a job: the page follows it (htmx polls; without JavaScript a link reads it again). */
async function ingestLarge(page: Page, js: boolean) {
  await page.fill('#search-doc-id', 'handbook')
  await page.fill('#search-doc-text', HANDBOOK)
  await page.fill('#search-doc-metadata', '')
  await page.click('[data-action="ingest"]')
  await page.waitForSelector('[data-job]', { timeout: 20_000 })
  if (js) await page.waitForSelector('[data-job-state="done"]', { timeout: 30_000 })
  else
    await expect
      .poll(
        async () => {
          const state = await page.getAttribute('[data-job]', 'data-job-state')
          if (state === 'queued' || state === 'running') await page.click('[data-job] a')
          return page.getAttribute('[data-job]', 'data-job-state')
        },
        { timeout: 30_000 },
      )
      .toBe('done')
  expect(await page.getAttribute('[data-job] [data-ingest-status]', 'data-ingest-status')).toBe('created')
  expect(Number(await page.getAttribute('[data-job] [data-ingest-status]', 'data-chunks'))).toBeGreaterThan(3)
}

async function points(page: Page, name: string) {
  return Number(await page.getAttribute(`tr[data-collection="${name}"] [data-points]`, 'data-points'))
}

async function queryAndCheck(page: Page) {
  await page.fill('#search-query-text', 'how do I get my money back')
  await page.check('input[name="mode"][value="hybrid"]')
  await page.check('input[name="rerank"]')
  await page.click('[data-action="query"]')
  await page.waitForSelector('table.search-hits', { timeout: 20_000 })
  const hits = await page.locator('table.search-hits tbody tr').evaluateAll((rows) =>
    rows.map((r) => ({
      doc: r.querySelector('[data-doc-id]')?.textContent,
      snippet: r.querySelector('[data-snippet]')?.textContent ?? '',
      score: Number(r.querySelector('[data-score]')?.getAttribute('data-score')),
      rerank: r.querySelector('[data-rerank-score]')?.getAttribute('data-rerank-score'),
    })),
  )
  expect(hits.length).toBeGreaterThan(0)
  expect(hits[0]?.doc).toBe('refunds')
  expect(hits[0]?.snippet).toContain('refund')
  for (const h of hits) {
    expect(Number.isFinite(h.score)).toBe(true)
    expect(Number.isFinite(Number(h.rerank))).toBe(true)
  }
  // Reranked hits come in the reranker's order.
  const logits = hits.map((h) => Number(h.rerank))
  expect([...logits].sort((a, b) => b - a)).toEqual(logits)
  expect(await page.textContent('th:has-text("Fused score")')).toMatch(/rrf/)
  for (const stage of ['embed', 'search', 'rerank', 'total'])
    expect(await page.textContent(`[data-timing="${stage}"]`)).toMatch(/^\d+(\.\d+)? ms$/)
}

async function deleteCollection(page: Page, name: string) {
  await page.click(`tr[data-collection="${name}"] [data-action="delete-collection"]`)
  await page.waitForSelector(`[data-confirm-delete="${name}"]`)
  await page.click('[data-action="confirm-delete"]')
  await page.waitForSelector(`[data-notice="good"]:has-text("Deleted the collection ${name}")`)
  expect(await page.locator(`tr[data-collection="${name}"]`).count()).toBe(0)
}

describe('search from the dashboard (simulated cluster, embedded store)', () => {
  it('makes a collection, ingests a pasted document, and queries it with scores and timings', async () => {
    const page = await browser().newPage()
    const errors: string[] = []
    page.on('pageerror', (err) => errors.push(err.message))
    await page.goto(fixture.url('/'))
    await page.click('nav a[href="/ui/search"]')
    await page.waitForSelector('#search-health')
    expect(await page.getAttribute('#search-health', 'data-working')).toBe('true')

    await makeCollection(page, 'browser_js')
    const chunks = await ingest(page, 'refunds', DOC, 'created')
    // The count beside the collection moved with the ingest (swapped in beside the answer).
    await expect.poll(() => points(page, 'browser_js')).toBe(chunks)
    await ingest(page, 'office', OTHER, 'created')
    await queryAndCheck(page)
    await page.screenshot({ path: `${ARTIFACTS}search.png`, fullPage: true })

    await ingest(page, 'refunds', DOC, 'unchanged')
    expect(await page.textContent('[data-ingest-status]')).toContain('0 embedded')
    await ingestLarge(page, true)
    await deleteCollection(page, 'browser_js')
    expect(errors).toEqual([])
    await page.close()
  })

  it('works without JavaScript: the forms post and the page comes back with the answers', async () => {
    const context = await browser().newContext({ javaScriptEnabled: false })
    const page = await context.newPage()
    await page.goto(fixture.url('/ui/search'))
    await makeCollection(page, 'browser_nojs')
    const chunks = await ingest(page, 'refunds', DOC, 'created')
    expect(await points(page, 'browser_nojs')).toBe(chunks)
    await ingest(page, 'office', OTHER, 'created')
    await queryAndCheck(page)
    await ingestLarge(page, false)
    await page.goto(fixture.url('/ui/search'))
    await deleteCollection(page, 'browser_nojs')
    await context.close()
  })
})
