/**
 * Settings → API keys in a real browser on the demo: a key created on the page is shown once
 * (with JavaScript, with a working copy button; without, in the page answer) and never again after
 * a reload; revoking needs its confirmation box and removes the key.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useDemo } from '../support/demo.ts'
import { useChromium } from './chromium.ts'

const fixture = useDemo({ name: 'browser-keys' })
const browser = useChromium()

async function createOnPage(page: Page, name: string) {
  await page.fill('#key-name', name)
  await page.check('.key-create input[name="scopes"][value="chat"]')
  await page.click('[data-action="create-key"]')
  await page.waitForSelector(`[data-new-key="${name}"]`)
  const key = await page.inputValue('#new-key')
  expect(key).toMatch(/^sc_[\w-]{43}$/)
  return key
}

async function revokeOnPage(page: Page, name: string) {
  await page.check(`tr[data-key="${name}"] input[name="confirm"]`)
  await page.click(`tr[data-key="${name}"] [data-action="revoke-key"]`)
  await page.waitForSelector('[data-notice="good"]')
  expect(await page.locator(`tr[data-key="${name}"]`).count()).toBe(0)
}

const listedNames = async () =>
  ((await (await fetch(fixture.url('/api/keys'))).json()).keys as Array<{ name: string }>).map((k) => k.name)

describe('Settings → API keys (simulated cluster)', () => {
  it('creates a key shown once with a copy button, then revokes it', async () => {
    const context = await browser().newContext()
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: fixture.url() })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (err) => errors.push(err.message))
    await page.goto(fixture.url('/ui/settings'))
    await page.click('[data-link="api-keys"]')
    await page.waitForSelector('#keys-panel')
    const key = await createOnPage(page, 'crm-app')
    await page.click('button[data-copy="new-key"]')
    await expect.poll(() => page.textContent('button[data-copy="new-key"]')).toBe('Copied')
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key)
    expect(await listedNames()).toContain('crm-app')

    await page.reload()
    expect(await page.locator('[data-new-key]').count()).toBe(0)
    expect(await page.content()).not.toContain(key)
    expect(await page.locator('tr[data-key="crm-app"]').count()).toBe(1)

    await revokeOnPage(page, 'crm-app')
    expect(await listedNames()).not.toContain('crm-app')
    expect(errors).toEqual([])
    await context.close()
  })

  it('works without JavaScript: the key is in the page answer once, the copy button stays hidden', async () => {
    const context = await browser().newContext({ javaScriptEnabled: false })
    const page = await context.newPage()
    await page.goto(fixture.url('/ui/settings/keys'))
    const key = await createOnPage(page, 'script-app')
    expect(await page.isHidden('button[data-copy="new-key"]')).toBe(true)
    await page.goto(fixture.url('/ui/settings/keys'))
    expect(await page.content()).not.toContain(key)
    await revokeOnPage(page, 'script-app')
    await context.close()
  })
})
