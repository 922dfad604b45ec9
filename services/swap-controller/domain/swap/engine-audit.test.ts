import { describe, expect, it } from 'vitest'
import { lockedCoordination, testRecipe } from '../../testing/engine-parts.ts'
import { createSwapEngine } from './engine.ts'
import type { ClusterDriver } from './ports.ts'

const GIB = 2 ** 30

function setup(driver: Partial<ClusterDriver> = {}) {
  const audits: Record<string, unknown>[] = []
  const lock = { locked: false }
  let release = () => {}
  const base: ClusterDriver = {
    memory: async (nodes) => Object.fromEntries(nodes.map((n) => [n, 100 * GIB])),
    stop: async () => undefined,
    verifyStopped: async () => undefined,
    launch: async () => undefined,
    // Holds the first swap in `warming` until the test lets it finish.
    awaitReady: () => new Promise<void>((r) => (release = r)),
    logExcerpt: async () => null,
  }
  const engine = createSwapEngine({
    catalog: {
      snapshot: async () => ({
        dir: '/r',
        entries: [testRecipe('old', 'old-model'), testRecipe('new', 'new-model')],
        notes: [],
        readAt: '',
      }),
    },
    driver: { ...base, ...driver },
    coordination: lockedCoordination(lock, audits),
    loads: { start: () => undefined, finish: () => true, recentLoads: async () => [] },
    loadedModels: async () => ['old-model'],
    inventory: { nodes: [{ name: 'spark-1', user: 'u', dockerDir: '/home/u/d', role: 'head' }] },
    vllmPort: 8888,
    container: 'vllm_node',
    stopGraceS: 1,
    fitPolicy: 'refuse',
  })
  return { engine, audits, lock, release: () => release() }
}

const refusals = (audits: Record<string, unknown>[]) =>
  audits
    .filter((a) => a.outcome === 'refused')
    .map((a) => `${a.action} ${a.actor} ${a.target} ${String(a.detail).slice(0, 3)}`)

describe('refused swap requests are audited', () => {
  it('records a 423 (lock held) and a 409 (another swap running) with actor, recipe and why', async () => {
    const { engine, audits, lock, release } = setup()
    lock.locked = true
    await expect(engine.request({ recipe: 'new', actor: 'nightly' })).rejects.toMatchObject({ status: 423 })
    lock.locked = false
    await engine.request({ recipe: 'new', actor: 'api' })
    await expect(engine.request({ recipe: 'old', actor: 'crm' })).rejects.toMatchObject({ status: 409 })
    await expect(engine.request({ recipe: 'nope', actor: 'crm' })).rejects.toMatchObject({ status: 404 })
    expect(refusals(audits)).toEqual([
      'swap.start nightly new 423',
      'swap.start crm old 409',
      'swap.start crm nope 404',
    ])
    const busy = audits.find((a) => a.target === 'old')!
    expect(busy.detail).toMatch(/A swap to new is in progress/)
    // A stop refused under the running swap is recorded too.
    await expect(engine.stop({ actor: 'ops' })).rejects.toMatchObject({ status: 409 })
    expect(refusals(audits).at(-1)).toBe('swap.stop ops null 409')
    release()
    await engine.idle()
  })

  it('writes the same refusal for the same caller once a minute, so a retrying client cannot flood the log', async () => {
    const { engine, audits, lock } = setup()
    lock.locked = true
    for (let i = 0; i < 50; i++)
      await expect(engine.request({ recipe: 'new', actor: 'chat:crm' })).rejects.toMatchObject({
        status: 423,
      })
    await expect(engine.request({ recipe: 'new', actor: 'chat:other' })).rejects.toMatchObject({
      status: 423,
    })
    await expect(engine.request({ recipe: 'old', actor: 'chat:crm' })).rejects.toMatchObject({ status: 423 })
    expect(refusals(audits)).toEqual([
      'swap.start chat:crm new 423',
      'swap.start chat:other new 423',
      'swap.start chat:crm old 423',
    ])
  })

  it('writes a fit refusal once', async () => {
    // A 10 GiB node with 1 GiB free: stopping the loaded model frees at most the 9 GiB in use.
    const { engine, audits } = setup({
      meminfo: async () => ({ 'spark-1': { total_bytes: 10 * GIB, available_bytes: 1 * GIB } }),
    })
    await expect(engine.request({ recipe: 'new', actor: 'api' })).rejects.toMatchObject({ status: 409 })
    expect(refusals(audits)).toHaveLength(1)
  })
})

describe('fit with MemTotal known', () => {
  it('caps what stopping the loaded model frees by what is in use on the node', async () => {
    const total = 122 * GIB
    const { engine } = setup({
      memory: async () => {
        throw new Error('meminfo is read instead')
      },
      meminfo: async (nodes) =>
        Object.fromEntries(nodes.map((n) => [n, { total_bytes: total, available_bytes: 115 * GIB }])),
    })
    const answer = await engine.validate('new')
    const node = answer.fit!.per_node[0]!
    expect(node).toMatchObject({ available_bytes: 115 * GIB, freed_bytes: 7 * GIB, total_bytes: total })
    expect(node.available_bytes! + node.freed_bytes).toBeLessThanOrEqual(total)
  })
})
