/**
 * A person changes a setting on the dashboard's Settings page in a real browser, on the demo: the
 * page says it applies now (a speech lane) or after a restart (naming the service), the new value is
 * there after a reload, and the speech-proxy uses it at once — with JavaScript (htmx answers in
 * place) and without (a plain form post and a notice on the page it lands back on).
 */
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { useDemo } from '../support/demo.ts'
import { useChromium } from './chromium.ts'

const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url))
const fixture = useDemo({ name: 'browser-settings' })
const browser = useChromium()

const ttsLimit = async () => {
  const status = (await (await fetch(fixture.url('/api/speech/status'))).json()) as {
    lanes: Array<{ lane: string; limit: number }>
  }
  return status.lanes.find((l) => l.lane === 'tts')?.limit
}

describe('the Settings page (simulated cluster)', () => {
  it('saves a live setting in place, says it is in force, and shows it after a reload', async () => {
    const page = await browser().newPage()
    const errors: string[] = []
    page.on('pageerror', (err) => errors.push(err.message))
    await page.goto(fixture.url('/'))
    await page.click('nav a[href="/ui/settings"]')
    await page.waitForSelector('#setting-SPEECH_LANE_TTS')
    expect(await page.getAttribute('[data-setting="SPEECH_LANE_TTS"]', 'data-applies')).toBe('live')

    await page.fill('#setting-SPEECH_LANE_TTS', '4')
    await page.click('[data-action="save-settings"]')
    const notice = page.locator('#settings-panel [data-notice]')
    await notice.waitFor({ timeout: 10_000 })
    expect(await notice.textContent()).toContain('Speech syntheses at once: in force now')
    await page.screenshot({ path: `${ARTIFACTS}settings.png`, fullPage: true })
    await expect.poll(ttsLimit, { timeout: 15_000 }).toBe(4)

    await page.reload()
    expect(await page.inputValue('#setting-SPEECH_LANE_TTS')).toBe('4')
    expect(await page.getAttribute('[data-setting="SPEECH_LANE_TTS"]', 'data-source')).toBe('file')
    expect(errors).toEqual([])
    await page.close()
  })

  it('works without JavaScript: a restart-only setting says which service must restart', async () => {
    const context = await browser().newContext({ javaScriptEnabled: false })
    const page = await context.newPage()
    await page.goto(fixture.url('/ui/settings'))
    await page.fill('#setting-CHAT_WAIT_DURING_SWAP_MS', '45000')
    await page.click('[data-action="save-settings"]')
    await page.waitForSelector('[data-notice]')
    const text = (await page.textContent('[data-notice]')) ?? ''
    expect(text).toContain('Some changes apply after a restart of swap-controller')
    expect(text).toContain('Chat wait during a switch (ms): after a restart of swap-controller')
    await page.reload()
    expect(await page.inputValue('#setting-CHAT_WAIT_DURING_SWAP_MS')).toBe('45000')
    await context.close()
  })
})
