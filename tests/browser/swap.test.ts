/**
 * A person switches the chat model from the overview of the real stack in a real browser: picks a
 * model, reads the confirmation, says yes, watches the steps and the log, and sees the new model
 * answering. Then a switch whose model runs out of memory: the page shows it going back, ends on
 * "went back to …" with the log excerpt, and the previous model is the one answering. Each test
 * loads the model it starts from (`given`), so any one passes alone.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { SIM_DEFAULT_RECIPE } from '../../tools/spark-sim/recipes.ts'
import { useDemo } from '../support/demo.ts'
import { servedName } from '../support/served-names.ts'
import { useChromium } from './chromium.ts'
import { askToSwitch, givenModel } from './switching.ts'

// Long enough that the page is seen mid-load, short enough for CI.
const fixture = useDemo({ name: 'browser-swap', loadTimeMs: 6000 })
const browser = useChromium()

const served = (recipe: string) => servedName(recipe)
const TARGET = 'gpt-oss-120b'

async function openOverview(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser().newPage()
  const errors: string[] = []
  page.on('pageerror', (err) => errors.push(err.message))
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text())
  })
  await page.goto(fixture.url('/'))
  return { page, errors }
}

/** Asks to switch to `recipe` until allowed, then says yes; returns the question's text. */
async function switchTo(page: Page, recipe: string): Promise<string> {
  const text = await askToSwitch(page, recipe)
  await page.click('[data-action="confirm-swap"]')
  return text
}

const given = (recipe: string) => givenModel(fixture.url, recipe)

const loadedModel = (page: Page) => page.getAttribute('#model-card [data-loaded-model]', 'data-loaded-model')
const outcome = (page: Page) => page.getAttribute('#swap-progress', 'data-outcome')

describe('switching the chat model from the overview (simulated cluster)', () => {
  it('confirms in plain words, shows the load live, and ends on the new model', async () => {
    await given(SIM_DEFAULT_RECIPE)
    const { page, errors } = await openOverview()
    await expect.poll(() => loadedModel(page), { timeout: 15_000 }).toBe(served(SIM_DEFAULT_RECIPE))
    await expect.poll(() => page.textContent('#model-card'), { timeout: 10_000 }).toMatch(/tok\/s/)

    const question = await switchTo(page, TARGET)
    expect(question).toContain(served(SIM_DEFAULT_RECIPE))
    expect(question).toMatch(/stops first/)
    expect(question).toMatch(/goes back to/)
    // The confirmation is gone once the switch starts; the progress panel took its place.
    await expect.poll(() => page.locator('[data-confirm]').count()).toBe(0)

    await expect.poll(() => outcome(page), { timeout: 10_000 }).toBe('running')
    await page.waitForSelector('#swap-progress [data-step-status="current"]')
    await page.waitForSelector('#swap-progress [data-percent]', { timeout: 15_000 })
    await expect
      .poll(() => page.textContent('#swap-progress [data-log-tail]'), { timeout: 10_000 })
      .toMatch(/spark-1/)
    expect(await page.locator('#swap-progress [data-action="cancel"]').count()).toBe(1)
    // The card refreshes itself every few seconds.
    await expect
      .poll(() => page.textContent('#model-card'), { timeout: 10_000 })
      .toContain(`Switching to ${TARGET}`)

    await expect.poll(() => outcome(page), { timeout: 60_000 }).toBe('ready')
    expect(await page.textContent('#swap-progress [data-result]')).toContain(`Switched to ${TARGET}`)
    await expect.poll(() => loadedModel(page), { timeout: 15_000 }).toBe(served(TARGET))
    expect(errors).toEqual([])
    await page.close()
  }, 120_000)

  it('shows a failing switch going back to the previous model, with the log of the failure', async () => {
    await given(TARGET)
    const { page, errors } = await openOverview()
    await expect.poll(() => loadedModel(page), { timeout: 15_000 }).toBe(served(TARGET))
    fixture.demo().sim.nodes.setNextFailure('oom')
    await switchTo(page, SIM_DEFAULT_RECIPE)

    await expect.poll(() => outcome(page), { timeout: 90_000 }).toBe('rolled_back')
    const result = await page.textContent('#swap-progress [data-result]')
    expect(result).toContain(`The switch to ${SIM_DEFAULT_RECIPE} failed`)
    expect(result).toContain('went back to')
    expect(await page.textContent('#swap-progress [data-log-excerpt]')).toMatch(/out of memory/i)
    await expect.poll(() => loadedModel(page), { timeout: 15_000 }).toBe(served(TARGET))

    // The history page lists the switches; the failed one says the dashboard asked for it.
    await page.goto(fixture.url('/ui/history'))
    const rows = page.locator('tr[data-action="swap.start"]')
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2)
    const text = await page.textContent('table.history')
    expect(text).toContain('dashboard')
    expect(text).toContain('went back to the previous model')
    expect(await page.locator('tr[data-action="swap.start"][data-outcome="rolled_back"]').count()).toBe(1)
    expect(errors).toEqual([])
    await page.close()
  }, 150_000)

  it('cancels a switch from the swap page', async () => {
    const page = await browser().newPage()
    // The two-node recipe, never loaded by the tests above.
    await page.goto(fixture.url('/ui/swap?recipe=glm-4.5-air'))
    await page.click('[data-action="confirm-swap"]')
    await expect.poll(() => outcome(page), { timeout: 10_000 }).toBe('running')
    await page.click('#swap-progress [data-action="cancel"]')
    await expect.poll(() => outcome(page), { timeout: 30_000 }).toBe('cancelled')
    expect(await page.textContent('#swap-progress [data-result]')).toContain('was cancelled')
    await page.close()
  }, 60_000)
})
