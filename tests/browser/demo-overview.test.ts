import { describe, expect, it } from 'vitest'
import { SIM_DEFAULT_RECIPE } from '../../tools/spark-sim/recipes.ts'
import { useDemo } from '../support/demo.ts'
import { servedName } from '../support/served-names.ts'
import { useChromium } from './chromium.ts'

const fixture = useDemo({ name: 'browser' })
const browser = useChromium()

describe('overview on the simulated cluster', () => {
  it('shows the loaded model and all-good, then a Spark outage live, then the recovery', async () => {
    const page = await browser().newPage()
    const errors: string[] = []
    page.on('pageerror', (err) => errors.push(err.message))
    await page.goto(fixture.url('/'))

    await expect.poll(() => page.textContent('[data-summary]')).toContain('Everything is working')
    expect(await page.getAttribute('[data-model]', 'data-model')).toBe(servedName(SIM_DEFAULT_RECIPE))
    expect(await page.textContent('body')).toContain('Simulated cluster')
    expect(await page.getAttribute('[data-card="node:spark-2"]', 'data-state')).toBe('up')

    const worker = fixture.demo().sim.nodes.node('spark-2')
    worker.setUnreachable(true, { dropExisting: true })
    try {
      await expect
        .poll(() => page.getAttribute('[data-card="node:spark-2"]', 'data-state'), { timeout: 15_000 })
        .toBe('down')
      expect(await page.textContent('[data-summary]')).toContain('Spark 2')
    } finally {
      worker.setUnreachable(false)
    }
    await expect
      .poll(() => page.getAttribute('[data-card="node:spark-2"]', 'data-state'), { timeout: 40_000 })
      .toBe('up')
    expect(errors).toEqual([])
    await page.close()
  }, 90_000)
})
