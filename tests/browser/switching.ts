/**
 * What the browser tests that switch the chat model share: a start from a known model, and asking
 * the overview's question until it may go, as a person would.
 */
import type { Page } from 'playwright-core'
import { expect } from 'vitest'
import { servedName } from '../support/served-names.ts'

/** Loads `recipe` through the swap API unless it is loaded, then waits until no switch is running. */
export async function givenModel(url: (path: string) => string, recipe: string): Promise<void> {
  const json = async (path: string) => (await fetch(url(path))).json()
  const loaded = async () => (await json('/api/status')).loaded_model
  if ((await loaded()) !== servedName(recipe)) {
    const started = await fetch(url('/api/swap'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ recipe }),
    })
    expect(started.status).toBe(202)
    await expect.poll(loaded, { timeout: 60_000, interval: 250 }).toBe(servedName(recipe))
  }
  // vLLM lists the model a moment before its job ends (the demo's first load too); a switch asked
  // for before then is refused.
  const running = async () => (await json('/api/swap/state')).job?.outcome === 'running'
  await expect.poll(running, { timeout: 30_000, interval: 250 }).toBe(false)
}

/**
 * Picks `recipe` in the overview's switch form and asks until the question allows the switch; returns
 * its text. The question reflects the moment it was asked ("wait" while a switch finishes, "could
 * not be checked" when the controller was slow to answer), so it is asked again, as a person would.
 */
export async function askToSwitch(page: Page, recipe: string): Promise<string> {
  let text = ''
  // What the page was answered meanwhile that was not a success, for the message if it fails.
  const refused: string[] = []
  const onResponse = (r: { status(): number; url(): string }) => {
    if (r.status() >= 400) refused.push(`${r.status()} ${new URL(r.url()).pathname}`)
  }
  page.on('response', onResponse)
  await expect
    .poll(
      async () => {
        await page.selectOption('#switch-recipe', recipe)
        await page.click('[data-action="switch"]')
        const answer = await page.waitForSelector(
          `[data-confirm="${recipe}"], [data-confirm-unavailable="${recipe}"]`,
          { timeout: 10_000 },
        )
        text = (await answer.textContent()) ?? ''
        return answer.getAttribute('data-allowed')
      },
      { timeout: 45_000, interval: 500 },
    )
    .toBe('true')
    .catch((err) => {
      throw new Error(
        `the switch was never allowed; the page said: ${text}; refused answers: ${refused.join(', ') || 'none'}`,
        { cause: err },
      )
    })
    .finally(() => page.off('response', onResponse))
  return text
}
