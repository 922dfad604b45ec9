/**
 * A person manages the Sparks' models from the models page of the real stack in a real browser:
 * types part of a repo, picks the suggestion, reads the question, says yes and watches the download
 * reach done on every node; then deletes the model no recipe launches after confirming.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { SIM_UNRECIPED_MODEL } from '../../tools/spark-sim/cluster/hf-hub.ts'
import { useDemo } from '../support/demo.ts'
import { useChromium } from './chromium.ts'

const fixture = useDemo({ name: 'browser-models' })
const browser = useChromium()

const REPO = 'openai/gpt-oss-20b'
const UNRECIPED_KEY = SIM_UNRECIPED_MODEL.replace('/', '--')
const nodeNames = () => fixture.demo().sim.nodes.nodes.map((n) => n.name)

async function openModels(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser().newPage()
  const errors: string[] = []
  page.on('pageerror', (err) => errors.push(err.message))
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text())
  })
  await page.goto(fixture.url('/ui/models'))
  return { page, errors }
}

/** The audit log's model changes, as `action actor`. */
async function modelChanges(): Promise<string[]> {
  const history = (await fetch(fixture.url('/api/swap/history?limit=50')).then((r) => r.json())) as {
    entries: Array<{ action: string; actor: string }>
  }
  return history.entries.filter((e) => e.action.startsWith('model.')).map((e) => `${e.action} ${e.actor}`)
}

describe('managing models from the dashboard (simulated cluster)', () => {
  it('downloads a suggested repo to every Spark and watches it finish', async () => {
    // Slow enough that the page is seen mid-download.
    fixture.demo().sim.nodes.setDownloadTimeMs(5000)
    const { page, errors } = await openModels()
    await page.waitForSelector(`tr[data-model="${UNRECIPED_KEY}"][data-needs-setup="true"]`)
    expect(await page.textContent(`tr[data-model="${UNRECIPED_KEY}"]`)).toMatch(/recipe for it is needed/)

    // Typing asks the controller for suggestions; they land in the datalist.
    await page.click('#download-repo')
    await page.keyboard.type('gpt-oss-2', { delay: 30 })
    const option = page.locator(`#model-suggestions option[value="${REPO}"]`)
    await expect.poll(() => option.count(), { timeout: 10_000 }).toBe(1)
    await page.fill('#download-repo', (await option.getAttribute('value'))!)
    await page.click('[data-action="download"]')

    const question = page.locator(`[data-confirm-download="${REPO}"]`)
    await question.waitFor()
    const text = (await question.textContent()) ?? ''
    expect(text).toContain('to every Spark?')
    expect(text).toContain(nodeNames().join(', '))
    expect(text).toMatch(/~13 GiB/)
    expect(text).toMatch(/Free space in the model cache now: spark-1 \d+ GiB/)
    await page.click('[data-action="confirm-download"]')
    await expect.poll(() => page.locator('[data-confirm-download]').count()).toBe(0)

    const item = page.locator(`#models-downloads article[data-status]`).filter({ hasText: REPO }).first()
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 10_000 }).toBe('running')
    expect(await page.getAttribute('#models-downloads', 'hx-trigger')).toBe('every 2s')
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 30_000 }).toBe('done')
    for (const node of nodeNames()) {
      expect(await item.locator(`[data-node="${node}"]`).getAttribute('data-node-status')).toBe('done')
      expect(fixture.demo().sim.nodes.node(node).cachedModels()).toContain(REPO)
    }
    expect(await page.getAttribute('#models-downloads', 'hx-trigger')).toBe('every 10s')
    // The list refreshes itself and now has the new model, waiting for a recipe.
    await page.waitForSelector(`tr[data-model="openai--gpt-oss-20b"][data-needs-setup="true"]`, {
      timeout: 20_000,
    })
    // The audit log names the dashboard.
    expect(await modelChanges()).toContain('model.download dashboard')
    expect(errors).toEqual([])
    await page.close()
  }, 90_000)

  it('deletes a model no recipe launches after confirming, from every Spark', async () => {
    const { page, errors } = await openModels()
    const row = `tr[data-model="${UNRECIPED_KEY}"]`
    await page.click(`${row} [data-action="delete"]`)
    const question = page.locator(`[data-confirm-delete="${UNRECIPED_KEY}"]`)
    await question.waitFor()
    const text = (await question.textContent()) ?? ''
    expect(text).toContain('from every Spark')
    expect(text).toContain('cannot be undone')
    await page.click('[data-action="confirm-delete"]')
    await page.waitForSelector('#models-confirm [data-notice="good"]', { timeout: 20_000 })
    expect(await page.textContent('#models-confirm')).toContain('removed from every Spark')
    await expect.poll(() => page.locator(row).count()).toBe(0)
    for (const node of nodeNames())
      expect(fixture.demo().sim.nodes.node(node).cachedModels()).not.toContain(SIM_UNRECIPED_MODEL)

    // The audit log names the dashboard.
    expect(await modelChanges()).toContain('model.delete dashboard')
    expect(errors).toEqual([])
    await page.close()
  }, 60_000)
})
