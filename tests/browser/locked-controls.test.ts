/**
 * With API keys on for the admin group, in a real browser on the real stack: a switch from the
 * dashboard without a key is refused with a message saying how to unlock (not silently ignored);
 * a key without the admin scope is refused too; after unlocking with an admin key the same click
 * switches the model, and the audit log names the key. The same holds without JavaScript: every
 * form posts, and the page it lands back on says what the click came to.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { generateKey, hashKey } from '../../shared/auth/keys.ts'
import { SIM_RECIPES } from '../../tools/spark-sim/recipes.ts'
import { REPO_ROOT } from '../../tools/stack/launch.ts'
import { useDemo } from '../support/demo.ts'
import { servedName } from '../support/served-names.ts'
import { useChromium } from './chromium.ts'

const ADMIN_KEY = generateKey()
const CHAT_KEY = generateKey()
const keysDir = `${REPO_ROOT}.data/test-locked-controls-${process.pid}`
mkdirSync(keysDir, { recursive: true })
writeFileSync(
  `${keysDir}/api-keys.json`,
  JSON.stringify([
    { name: 'ops-laptop', hash: hashKey(ADMIN_KEY), scopes: ['admin'], created_at: '2026-01-01T00:00:00Z' },
    { name: 'crm-app', hash: hashKey(CHAT_KEY), scopes: ['chat'], created_at: '2026-01-01T00:00:00Z' },
  ]),
)
const fixture = useDemo({
  name: 'locked-controls',
  env: { API_KEY_GROUPS: 'admin', API_KEYS_FILE: `${keysDir}/api-keys.json` },
})
const browser = useChromium()

const TARGET = 'gpt-oss-120b'

async function confirmSwitch(page: Page) {
  await page.goto(fixture.url(`/ui/swap?recipe=${TARGET}`))
  await page.click('[data-action="confirm-swap"]')
}

async function unlock(page: Page, key: string) {
  await page.fill('#unlock-key', key)
  await page.click('[data-action="unlock-controls"]')
  await page.waitForLoadState('load')
}

describe('dashboard controls behind an admin key', () => {
  it('says how to unlock, refuses a key without the scope, and switches once unlocked', async () => {
    const page = await browser().newPage()
    await page.goto(fixture.url('/ui/swap'))
    expect(await page.locator('[data-banner="open-controls"]').count()).toBe(0)
    expect(await page.locator('[data-banner="locked"]').count()).toBe(1)

    await confirmSwitch(page)
    await expect
      .poll(() => page.textContent('#action-error'), { timeout: 10_000 })
      .toMatch(/API key is required.*Unlock/)
    expect(await page.isVisible('#action-error')).toBe(true)

    await unlock(page, CHAT_KEY)
    expect(await page.textContent('[data-banner="unlocked"]')).toContain('crm-app')
    expect(page.url()).toContain('/ui/swap')
    await confirmSwitch(page)
    await expect
      .poll(() => page.textContent('#action-error'), { timeout: 10_000 })
      .toMatch(/does not have the admin scope/)

    await page.click('[data-action="lock-controls"]')
    await page.goto(fixture.url('/ui/swap'))
    await unlock(page, ADMIN_KEY)
    expect(await page.textContent('[data-banner="unlocked"]')).toContain('ops-laptop')
    await confirmSwitch(page)
    await expect
      .poll(() => page.getAttribute('#swap-progress', 'data-outcome'), { timeout: 60_000 })
      .toBe('ready')
    expect(await page.isHidden('#action-error')).toBe(true)
    await expect
      .poll(() => page.getAttribute('#model-card [data-loaded-model]', 'data-loaded-model'), {
        timeout: 15_000,
      })
      .toBe(servedName(TARGET))

    await page.goto(fixture.url('/ui/history'))
    expect(await page.textContent('tr[data-action="swap.start"]:not(:has(.badge))')).toContain(
      'dashboard:ops-laptop',
    )
    await page.close()
  }, 120_000)

  it('refuses a wrong key at the unlock form without keeping it', async () => {
    const page = await browser().newPage()
    await page.goto(fixture.url('/ui/swap'))
    await page.fill('#unlock-key', 'sc_not-a-real-key')
    await page.click('[data-action="unlock-controls"]')
    await page.waitForSelector('[data-unlock="refused"]')
    expect(page.url()).toMatch(/\/ui\/swap\?unlock=refused$/)
    expect(await page.locator('[data-banner="locked"]').count()).toBe(1)
    expect((await page.context().cookies()).find((c) => c.name === 'sc_key')).toBeUndefined()
    await page.close()
  }, 30_000)

  it('works without JavaScript: a refusal lands back on the page saying why, and an unlocked switch goes through', async () => {
    const context = await browser().newContext({ javaScriptEnabled: false })
    const page = await context.newPage()
    const loaded = (await (await fetch(fixture.url('/api/status'))).json()).loaded_model as string
    const target = Object.keys(SIM_RECIPES).find(
      (k) => !SIM_RECIPES[k]!.clusterOnly && servedName(k) !== loaded,
    )!
    const open = () => page.goto(fixture.url(`/ui/swap?recipe=${target}`))
    const yes = () =>
      Promise.all([page.waitForURL(/\/ui\/swap(\?|$)/), page.click('[data-action="confirm-swap"]')])
    const confirm = async () => {
      await open()
      await yes()
    }

    await confirm()
    expect(page.url()).toMatch(/\/ui\/swap\?unlock=needed$/)
    expect(await page.textContent('[data-unlock="needed"]')).toContain(
      'unlock the controls with an API key first',
    )

    await unlock(page, ADMIN_KEY)
    const admin = { 'content-type': 'application/json', 'x-api-key': ADMIN_KEY }
    // The confirmation was open before someone reserved swaps: its Yes is refused, and the page says why.
    await open()
    const taken = await fetch(fixture.url('/api/swap/lock'), {
      method: 'POST',
      headers: admin,
      body: '{"holder":"nightly-eval"}',
    })
    expect(taken.status).toBe(200)
    await yes()
    expect(page.url()).toMatch(/\/ui\/swap\?notice=/)
    expect(await page.textContent('main [data-notice="warn"]')).toContain('nightly-eval')
    await page.reload()
    expect(await page.locator('main [data-notice]').count()).toBe(0)
    // Opened now, the confirmation offers no Yes while swaps are reserved, and says by whom.
    await open()
    expect(await page.locator('[data-action="confirm-swap"]').count()).toBe(0)
    expect(await page.textContent('[data-switch-blocked="lock"]')).toContain('nightly-eval')

    await Promise.all([page.waitForURL(/\/ui\/swap$/), page.click('[data-action="release-lock"]')])
    expect(await page.locator('[data-lock-held]').count()).toBe(0)
    await confirm()
    expect(page.url()).toMatch(/\/ui\/swap$/)
    await expect
      .poll(async () => (await (await fetch(fixture.url('/api/status'))).json()).loaded_model, {
        timeout: 60_000,
      })
      .toBe(servedName(target))
    // vLLM lists the model a moment before the job has checked its first token and ended `ready`.
    await expect
      .poll(
        async () => {
          await page.reload()
          return page.getAttribute('#swap-progress', 'data-outcome')
        },
        { timeout: 30_000 },
      )
      .toBe('ready')
    await page.goto(fixture.url('/ui/history'))
    expect(await page.textContent('tr[data-action="lock.force_release"]')).toContain('dashboard:ops-laptop')
    await context.close()
  }, 120_000)
})
