/**
 * A person tries redaction from the dashboard on the real stack in a real browser: pastes a text
 * with a name, an email address and a bitcoin address, sees it scrubbed with the placeholders
 * marked by type and none of the values, puts the values back into a reply, and finds the types
 * in the counts — with JavaScript (htmx answers in place) and without (plain forms).
 */
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useDemo } from '../support/demo.ts'
import { useChromium } from './chromium.ts'

const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url))
const fixture = useDemo({ name: 'browser-redaction' })
const browser = useChromium()

// A documentation-style address (valid bech32), a reserved example domain, a made-up person.
const NAME = 'Margaret Holloway'
const EMAIL = 'margaret.holloway@example.com'
const BTC = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq'
const TEXT = `${NAME} asked us to send the refund to ${BTC}. Reply to ${EMAIL} once it is done.`
const VALUES = [NAME, 'Holloway', EMAIL, BTC]

async function scrubbedMarks(page: Page) {
  return page
    .locator('#redaction-scrubbed-text mark')
    .evaluateAll((els) => els.map((e) => ({ type: e.getAttribute('data-type'), text: e.textContent })))
}

async function scrubAndCheck(page: Page) {
  await page.fill('#redaction-text', TEXT)
  await page.check('input[name="ner"][value="rules_only"]')
  await page.click('[data-action="scrub"]')
  await page.waitForSelector('#redaction-scrubbed-text mark[data-type="BTC_ADDR"]', { timeout: 20_000 })
  const marks = await scrubbedMarks(page)
  const types = new Set(marks.map((m) => m.type))
  for (const type of ['PERSON', 'EMAIL', 'BTC_ADDR']) expect(types, type).toContain(type)
  for (const m of marks) expect(m.text).toMatch(/^\[[A-Z_]+_\d+\]$/)
  const scrubbed = (await page.textContent('#redaction-scrubbed-text')) ?? ''
  for (const value of VALUES) expect(scrubbed).not.toContain(value)
  expect(await page.getAttribute('[data-map-handle]', 'value')).toMatch(/^[A-Za-z0-9_-]{16,}$/)
  // The legend names each type in words beside its colour.
  expect(await page.textContent('.ph-legend')).toMatch(
    /person[\s\S]*email address|email address[\s\S]*person/,
  )
}

async function rehydrateAndCheck(page: Page) {
  // The reply box starts with the scrubbed text: putting it back must give the original.
  await page.click('[data-action="rehydrate"]')
  await page.waitForSelector('[data-restored]', { timeout: 20_000 })
  expect(((await page.textContent('[data-restored]')) ?? '').trim()).toBe(TEXT)
}

async function countsShowTypes(page: Page) {
  for (const type of ['PERSON', 'EMAIL', 'BTC_ADDR']) {
    await expect
      .poll(() => page.locator(`#redaction-counts tr[data-count-type="${type}"]`).count(), {
        timeout: 10_000,
      })
      .toBe(1)
  }
  const counts = (await page.textContent('#redaction-counts')) ?? ''
  for (const value of VALUES) expect(counts).not.toContain(value)
}

describe('trying redaction from the dashboard (simulated cluster)', () => {
  it('scrubs a pasted text with the types marked, puts the values back into a reply, and counts the types', async () => {
    const page = await browser().newPage()
    const errors: string[] = []
    page.on('pageerror', (err) => errors.push(err.message))
    await page.goto(fixture.url('/'))
    await page.click('nav a[href="/ui/redaction"]')
    await page.waitForSelector('#redaction-text')

    await scrubAndCheck(page)
    // The counts below moved with the scrub (swapped in beside the answer).
    await countsShowTypes(page)
    await page.screenshot({ path: `${ARTIFACTS}redaction.png`, fullPage: true })

    await page.fill('#redaction-reply', `Done: paid ${'[BTC_ADDR_1]'} for [PERSON_1], and [PERSON_7] too.`)
    await page.click('[data-action="rehydrate"]')
    await page.waitForSelector('[data-restored]', { timeout: 20_000 })
    expect(((await page.textContent('[data-restored]')) ?? '').trim()).toBe(
      `Done: paid ${BTC} for ${NAME}, and [PERSON_7] too.`,
    )
    expect(await page.textContent('[data-unresolved]')).toContain('[PERSON_7]')
    await page.screenshot({ path: `${ARTIFACTS}redaction-restored.png`, fullPage: true })
    expect(errors).toEqual([])
    await page.close()
  })

  it('works without JavaScript: the forms post and the page comes back with the answers', async () => {
    const context = await browser().newContext({ javaScriptEnabled: false })
    const page = await context.newPage()
    await page.goto(fixture.url('/ui/redaction'))
    await scrubAndCheck(page)
    await rehydrateAndCheck(page)
    await countsShowTypes(page)
    await context.close()
  })
})
