/**
 * The overview tells one story at every moment of a switch. A MutationObserver in the page records
 * what a person sees (`document.body.innerText`) after every change of the DOM, from before the
 * switch is confirmed until the new model answers; each of those snapshots is checked on its own:
 * never "Everything is working" or "Nothing is busy" beside a running switch, never a fault during
 * the planned switch, and at the end the new model named with no Cancel left.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { SIM_DEFAULT_RECIPE } from '../../tools/spark-sim/recipes.ts'
import { useDemo } from '../support/demo.ts'
import { servedName } from '../support/served-names.ts'
import { useChromium } from './chromium.ts'
import { askToSwitch, givenModel } from './switching.ts'

// Long enough that the page goes through several refreshes while the model loads.
const fixture = useDemo({ name: 'browser-overview-switch', loadTimeMs: 6000 })
const browser = useChromium()

const TARGET = 'gpt-oss-120b'

/** From now on, the page's visible text after every DOM change, in order. */
async function recordSnapshots(page: Page) {
  await page.evaluate(() => {
    const snaps: string[] = []
    ;(window as unknown as { snaps: string[] }).snaps = snaps
    const take = () => {
      // biome-ignore lint/performance/useDomNodeTextContent: what a person sees; hidden notices left out
      const text = document.body.innerText
      if (snaps[snaps.length - 1] !== text) snaps.push(text)
    }
    take()
    new MutationObserver(take).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    })
  })
  return () => page.evaluate(() => (window as unknown as { snaps: string[] }).snaps)
}

const IDLE = /Everything is working|Nothing is busy right now/
/** Anything that says a switch is under way: the progress panel, its Cancel, the card's line. */
const SWITCH_SHOWN = /Cancel the switch|\d+ % done|Switching to |No model is answering during the switch/
const FAULT = /\bdown\b|Needs attention|Status unknown/i
/** A line of the log tail: the node's name, two spaces, the container's line. */
const LOG_LINE = /^spark-\d+ {2}/

/** What is wrong with one snapshot, or null. */
function contradiction(text: string, target: string): string | null {
  if (IDLE.test(text) && SWITCH_SHOWN.test(text)) return 'an idle headline beside a running switch'
  if (/Switching the chat model to/.test(text) && /Last switch/.test(text))
    return 'the headline says switching while the panel shows a switch that ended'
  if (/Switching the chat model to/.test(text) && !text.includes(target))
    return 'the headline is switching to another model'
  // The model's own log lines (under the progress) may say "shutting down"; the page's words may not.
  const words = text
    .split('\n')
    .filter((line) => !LOG_LINE.test(line))
    .join('\n')
  if (FAULT.test(words)) return `a fault during a planned switch: "${FAULT.exec(words)?.[0]}"`
  return null
}

describe('the overview through a whole switch (simulated cluster)', () => {
  it('shows one consistent state in every snapshot, from confirm to the new model answering', async () => {
    await givenModel(fixture.url, SIM_DEFAULT_RECIPE)
    const page = await browser().newPage()
    const errors: string[] = []
    page.on('pageerror', (err) => errors.push(err.message))
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text())
    })
    await page.goto(fixture.url('/'))
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.live)).toBe('on')
    await expect.poll(() => page.textContent('[data-summary]')).toContain('Everything is working')
    const snapshots = await recordSnapshots(page)

    await askToSwitch(page, TARGET)
    await page.click('[data-action="confirm-swap"]')

    const served = servedName(TARGET)
    // biome-ignore lint/performance/useDomNodeTextContent: what a person sees; hidden notices left out
    const body = () => page.evaluate(() => document.body.innerText)
    await expect.poll(body, { timeout: 15_000 }).toMatch(/Cancel the switch/)
    await expect.poll(body, { timeout: 60_000 }).toContain(`Chat model: ${served}`)
    await expect.poll(() => page.getAttribute('#swap-progress', 'data-outcome')).toBe('ready')

    const all = await snapshots()
    const during = all.filter((s) => /Switching the chat model to/.test(s))
    // Not vacuous: the page was seen switching, loading with a percentage, and offering Cancel.
    expect(during.length).toBeGreaterThanOrEqual(2)
    expect(during.some((s) => /\d+ % done/.test(s))).toBe(true)
    expect(during.some((s) => s.includes('Cancel the switch'))).toBe(true)
    const wrong = all
      .map((text, i) => ({ i, why: contradiction(text, TARGET), text }))
      .filter((w) => w.why !== null)
    expect(wrong.map((w) => `snapshot ${w.i}/${all.length}: ${w.why}\n${w.text}`)).toEqual([])

    const last = all[all.length - 1]!
    expect(last).toContain(`Chat model: ${served}`)
    expect(last).toContain('Everything is working')
    expect(last).not.toContain('Cancel the switch')
    expect(last).not.toMatch(/Switching the chat model to/)
    expect(errors).toEqual([])
    await page.close()
  }, 120_000)
})
