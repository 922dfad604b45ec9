/**
 * Faults around a swap on the stand-in cluster (real OpenSSH nodes, eugr/docker/vLLM stand-ins,
 * main.ts as a child process): a worker that does not answer before or during a swap never leaves
 * nothing served when the previous model can run, and a recipe file on the head that is missing or
 * differs is copied there (or, by policy, refused) before anything is torn down.
 */
import { existsSync } from 'node:fs'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { type NodeName, nodesUp, type StandinCluster, startStandinCluster } from './eugr-standin-bed.ts'
import { standinApi } from './standin-api.ts'
import { RECIPES } from './standin-recipes.ts'

let c: StandinCluster

beforeAll(async () => {
  c = await startStandinCluster({ recipes: RECIPES })
}, 60_000)
afterAll(() => c?.close(), 30_000)

const { finished, served, postSwap, startSwap, given } = standinApi(() => c)

/** Every test ends with both nodes answering (to the controller too) and nothing held. */
afterEach(async () => {
  for (const n of c.ssh.nodes) if (!n.running) await n.restore()
  // The controller reconnects with backoff; the next test must not meet a node it still counts as down.
  await nodesUp(c.url)
  for (const name of ['spark-1', 'spark-2'] as const)
    for (const point of ['stop', 'launch']) {
      await rm(join(c.node(name).state, `hold-${point}`), { force: true })
      await rm(join(c.node(name).state, `held-${point}`), { force: true })
    }
}, 60_000)

/** Docker and launcher calls that change something, on `node` from the `from`-th call on. */
const changesSince = (node: NodeName, from: number) =>
  c
    .commands(node)
    .slice(from)
    .filter((l) => /^docker (stop|rm|run)|^run-recipe\.sh/.test(l))

const held = (node: NodeName, point: string) =>
  vi.waitFor(
    () => {
      if (!existsSync(join(c.node(node).state, `held-${point}`)))
        throw new Error(`${node} not at ${point} yet`)
    },
    { timeout: 30_000, interval: 50 },
  )
const hold = (node: NodeName, point: string) => writeFile(join(c.node(node).state, `hold-${point}`), '')
const release = (node: NodeName, point: string) => rm(join(c.node(node).state, `hold-${point}`))

const headRecipe = (key: string) => join(c.node('spark-1').dockerDir, 'recipes', `${key}.yaml`)
const controllerRecipe = (key: string) => readFile(join(c.controllerRecipes, `${key}.yaml`), 'utf8')

async function auditEntries(action: string) {
  const res = await c.fetch(`${c.url}/api/swap/history?action=${action}&limit=50`)
  return (
    (await res.json()) as { entries: { at: string; action: string; target: string; outcome: string }[] }
  ).entries
}

describe('a worker that does not answer', () => {
  it('before a solo swap: the swap runs on the head, and its warnings name spark-2', async () => {
    await given('standin-plain', 'acme/Plain-1B')
    await c.ssh.node('spark-2').cutOff()
    const job = await finished((await startSwap('standin-small')).job_id)
    expect(job).toMatchObject({ outcome: 'ready', error: null })
    expect(job.warnings?.join(' ')).toMatch(/spark-2/)
    expect(await served()).toEqual(['small-chat'])
  }, 60_000)

  it('before a two-node swap: 503 naming spark-2 with Retry-After, and the model serving is never touched', async () => {
    await given('standin-small', 'small-chat')
    const from = c.commands('spark-1').length
    await c.ssh.node('spark-2').cutOff()
    const res = await postSwap('standin-duo')
    expect(res.status).toBe(503)
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
    const body = await res.json()
    expect(body.detail).toMatch(/spark-2 is unreachable/)
    expect(body.detail).toMatch(/small-chat keeps serving/)
    expect(body.nodes).toEqual(['spark-2'])
    expect(await served()).toEqual(['small-chat'])
    const listed = (await (await c.fetch(`${c.url}/v1/models`)).json()) as { data: { id: string }[] }
    expect(listed.data.map((m) => m.id)).toContain('small-chat')
    expect(changesSince('spark-1', from)).toEqual([])
  }, 60_000)

  it('lost during the teardown: the swap rolls back to the solo model and says spark-2 is unreachable', async () => {
    await given('standin-small', 'small-chat')
    await hold('spark-1', 'stop')
    const { job_id } = await startSwap('standin-duo')
    await held('spark-1', 'stop')
    await c.ssh.node('spark-2').cutOff()
    await release('spark-1', 'stop')
    const job = await finished(job_id)
    expect(await served()).toEqual(['small-chat'])
    expect(job.rollback).toEqual({ recipe: 'standin-small', outcome: 'ready' })
    expect(job.error).toMatch(/spark-2/)
    expect(job.error).toMatch(/unreachable/)
    expect(job.error).not.toMatch(/still present/)
    expect(job.outcome).toBe('rolled_back')
  }, 60_000)
})

describe("the head's recipe file", () => {
  it("missing: the controller's copy is written before the teardown, audited as recipe.sync", async () => {
    await given('standin-small', 'small-chat')
    await rm(headRecipe('standin-plain'))
    const job = await finished((await startSwap('standin-plain')).job_id)
    expect(job.outcome).toBe('ready')
    expect(await readFile(headRecipe('standin-plain'), 'utf8')).toBe(await controllerRecipe('standin-plain'))
    const [sync] = await auditEntries('recipe.sync')
    expect(sync).toMatchObject({ action: 'recipe.sync', outcome: 'ok' })
    const stopping = job.transitions.find((t) => t.state === 'stopping')!
    expect(Date.parse(sync!.at)).toBeLessThanOrEqual(Date.parse(stopping.at))
    expect(await served()).toEqual(['acme/Plain-1B'])
  }, 60_000)

  it("different: the controller's copy replaces it before the teardown", async () => {
    await given('standin-plain', 'acme/Plain-1B')
    const before = (await auditEntries('recipe.sync')).length
    await writeFile(
      headRecipe('standin-small'),
      `${await controllerRecipe('standin-small')}# edited on the Spark\n`,
    )
    const job = await finished((await startSwap('standin-small')).job_id)
    expect(job.outcome).toBe('ready')
    expect(await readFile(headRecipe('standin-small'), 'utf8')).toBe(await controllerRecipe('standin-small'))
    expect((await auditEntries('recipe.sync')).length).toBe(before + 1)
    expect(await served()).toEqual(['small-chat'])
  }, 60_000)

  it('with SWAP_RECIPE_SYNC=refuse, a different file refuses the swap (409) and the old model keeps serving', async () => {
    await given('standin-small', 'small-chat')
    await c.restartController({ SWAP_RECIPE_SYNC: 'refuse' })
    try {
      const edited = `${await controllerRecipe('standin-plain')}# edited on the Spark\n`
      await writeFile(headRecipe('standin-plain'), edited)
      const from = c.commands('spark-1').length
      const res = await postSwap('standin-plain')
      expect(res.status).toBe(409)
      expect((await res.json()).detail).toMatch(/standin-plain/)
      expect(await served()).toEqual(['small-chat'])
      expect(changesSince('spark-1', from)).toEqual([])
      expect(await readFile(headRecipe('standin-plain'), 'utf8')).toBe(edited)
    } finally {
      await writeFile(headRecipe('standin-plain'), await controllerRecipe('standin-plain'))
      await c.restartController({})
    }
  }, 60_000)
})
