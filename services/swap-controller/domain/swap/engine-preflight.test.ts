/**
 * The engine with pre-flight: a worker the new model does not need is left out, one it needs
 * refuses the swap (503) before anything is stopped, and a node lost during the teardown decides
 * whether the previous model can come back. Fake driver and fake probes; no SSH.
 */
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { testRecipe } from '../../testing/engine-parts.ts'
import { parseRecipe } from '../catalog/recipe.ts'
import type { CatalogEntry } from '../catalog/types.ts'
import { createSwapEngine } from './engine.ts'
import type { TeardownPlan } from './plan.ts'
import { type ClusterDriver, SwapFailure } from './ports.ts'
import type { PreflightPlan, PreflightResults, ProbeOutcome } from './preflight.ts'
import type { PreflightDeps } from './preflight-gate.ts'

const GIB = 2 ** 30
const RECIPE_FILE = 'the controller’s recipe file\n'

/** A two-node recipe `big`, served as `big-model`. */
const clusterRecipe = (): CatalogEntry =>
  parseRecipe(
    stringify({
      recipe_version: '1',
      name: 'big',
      model: 'org/big',
      container: 'vllm-node',
      cluster_only: true,
      command: 'vllm serve org/big --served-model-name big-model\n',
      spark_control: { weights_gib: 10 },
    }),
    { file: 'big.yaml' },
  )

/** Probes over a cluster where the nodes in `down` do not answer; everything else is in order. */
function fakeProbes(down: Set<string>): PreflightDeps['probes'] {
  const answer = (stdout = ''): ProbeOutcome => ({ ran: true, code: 0, stdout, stderr: '' })
  const reach = (node: string): ProbeOutcome =>
    down.has(node) ? { ran: false, unreachable: true, reason: 'connect ECONNREFUSED' } : answer()
  return {
    preflight: async (pp: PreflightPlan): Promise<PreflightResults> => ({
      reach: Object.fromEntries(pp.reach.map((s) => [s.node, reach(s.node)])),
      ...(!down.has(pp.recipe.node) && { recipe: answer(RECIPE_FILE) }),
      images: Object.fromEntries(pp.images.filter((s) => !down.has(s.node)).map((s) => [s.node, answer()])),
      weights: {},
    }),
    run: async () => answer(RECIPE_FILE),
  }
}

interface Audit {
  action: string
  outcome: string
  detail: string
}

function setup(opts: { driver?: Partial<ClusterDriver>; serving?: string; down?: string[] } = {}) {
  const down = new Set(opts.down ?? [])
  const stops: TeardownPlan[] = []
  const launches: string[] = []
  const audits: Audit[] = []
  const base: ClusterDriver = {
    memory: async (nodes) => Object.fromEntries(nodes.map((n) => [n, 1000 * GIB])),
    stop: async (p) => void stops.push(p),
    verifyStopped: async () => undefined,
    launch: async (p) => void launches.push(p.recipe),
    awaitReady: async () => undefined,
    logExcerpt: async () => null,
  }
  const nodes = [
    { name: 'spark-1', user: 'u', dockerDir: '/home/u/d', role: 'head' },
    { name: 'spark-2', user: 'u', dockerDir: '/home/u/d', role: 'worker' },
  ]
  const engine = createSwapEngine({
    catalog: {
      snapshot: async () => ({
        dir: '/r',
        entries: [testRecipe('old', 'old-model'), testRecipe('new', 'new-model'), clusterRecipe()],
        notes: [],
        readAt: '',
      }),
    },
    driver: { ...base, ...opts.driver },
    coordination: {
      assertSwapAllowed: () => undefined,
      recordAudit: (e) => {
        audits.push({ action: e.action, outcome: e.outcome, detail: e.detail ?? '' })
        return {} as never
      },
      enqueueWebhook: () => null,
    },
    loads: { start: () => undefined, finish: () => true, recentLoads: async () => [] },
    loadedModels: async () => [opts.serving ?? 'old-model'],
    inventory: { nodes },
    preflight: {
      probes: fakeProbes(down),
      localRecipe: async () => RECIPE_FILE,
      policy: 'copy',
      cacheDir: null,
      nodes,
    },
    vllmPort: 8888,
    container: 'vllm_node',
    stopGraceS: 1,
    fitPolicy: 'refuse',
  })
  return { engine, stops, launches, audits, down }
}

/** Runs a swap to its end and returns its job. */
async function swapTo(engine: ReturnType<typeof setup>['engine'], recipe: string) {
  await engine.request({ recipe, actor: 'api' })
  await engine.idle()
  return engine.state()!
}

/** A driver whose first verifyStopped fails as `failure`; later ones (the rollback's) pass. */
const teardownFails = (failure: SwapFailure): Partial<ClusterDriver> => {
  let first = true
  return {
    verifyStopped: async () => {
      if (!first) return undefined
      first = false
      throw failure
    },
  }
}

describe('pre-flight in the swap engine', () => {
  it('a worker that does not answer before a solo swap is left out of the teardown and warned about', async () => {
    const { engine, stops, launches } = setup({ down: ['spark-2'] })
    const job = await swapTo(engine, 'new')
    expect(job).toMatchObject({ status: 'ready', outcome: 'ready' })
    expect(launches).toEqual(['new'])
    expect(stops.map((p) => p.nodes)).toEqual([['spark-1']])
    expect(job.warnings).toEqual([expect.stringContaining('spark-2 does not answer')])
  })

  it('a worker that does not answer before a two-node swap refuses it with 503, stopping nothing', async () => {
    const { engine, stops, launches, audits } = setup({ down: ['spark-2'] })
    const err = await engine.request({ recipe: 'big', actor: 'api' }).catch((e: unknown) => e)
    expect(err).toMatchObject({ status: 503, code: 'node_unreachable', retryAfterS: expect.any(Number) })
    expect((err as Error).message).toMatch(/spark-2 is unreachable.*old-model keeps serving/)
    expect(stops).toEqual([])
    expect(launches).toEqual([])
    expect(engine.state()).toBeNull()
    // The refusal is audited once: the swap.start row, with its status.
    expect(audits).toEqual([
      {
        action: 'swap.start',
        outcome: 'refused',
        detail: expect.stringMatching(/^503 spark-2 is unreachable/),
      },
    ])
  })

  it('a worker lost during the teardown does not block the rollback of a solo model on the head', async () => {
    const lost = new SwapFailure('teardown', 'spark-2 is unreachable (connect ECONNREFUSED)', ['spark-2'])
    const { engine, stops, launches } = setup({ driver: teardownFails(lost) })
    const job = await swapTo(engine, 'big')
    expect(job).toMatchObject({
      status: 'ready',
      outcome: 'rolled_back',
      rollback: { recipe: 'old', outcome: 'ready' },
    })
    expect(launches).toEqual(['old'])
    // The rollback's teardown leaves the lost worker out.
    expect(stops.map((p) => p.nodes)).toEqual([['spark-1', 'spark-2'], ['spark-1']])
    expect(job.error).toContain('spark-2 is unreachable')
  })

  it('says the rollback is impossible, naming the node, when the previous model needs the lost worker', async () => {
    const lost = new SwapFailure('teardown', 'spark-2 is unreachable (connect ECONNREFUSED)', ['spark-2'])
    const { engine, launches } = setup({ serving: 'big-model', driver: teardownFails(lost) })
    const job = await swapTo(engine, 'new')
    expect(job).toMatchObject({ status: 'failed', outcome: 'failed', rollback: null })
    expect(job.error).toMatch(/rollback to big impossible: it needs spark-2, which is unreachable/)
    expect(launches).toEqual([])
  })

  it('a teardown that failed on nodes that answer does not roll back, and says why', async () => {
    const stuck = new SwapFailure('teardown', 'container vllm_node still present on spark-1')
    const { engine, launches } = setup({ driver: teardownFails(stuck) })
    const job = await swapTo(engine, 'big')
    expect(job).toMatchObject({ status: 'failed', rollback: null })
    expect(job.error).toBe(
      'container vllm_node still present on spark-1; old was not relaunched: its teardown did not finish',
    )
    expect(launches).toEqual([])
  })

  it('nodes the teardown passed over become the job’s warnings', async () => {
    const passedOver = [{ node: 'spark-2', reason: 'connection lost' }]
    const { engine } = setup({ driver: { verifyStopped: async () => ({ passedOver }) } })
    const job = await swapTo(engine, 'new')
    expect(job.status).toBe('ready')
    expect(job.warnings).toEqual([expect.stringMatching(/spark-2 stopped answering.*connection lost/)])
  })

  it('dry run and validate carry the pre-flight verdict and its commands, and touch nothing', async () => {
    const { engine, stops } = setup({ down: ['spark-2'] })
    const dry = await engine.request({ recipe: 'big', actor: 'api', dryRun: true })
    if (!dry.dry_run) throw new Error('expected a dry run')
    expect(dry.preflight).toMatchObject({ ok: false, unreachable: ['spark-2'] })
    const kinds = dry.commands.preflight.map((c) => `${c.node} ${c.kind}`)
    expect(kinds).toEqual([
      'spark-1 reach',
      'spark-2 reach',
      'spark-1 read-recipe',
      'spark-1 check-image',
      'spark-2 check-image',
      'spark-1 write-recipe',
    ])
    const v = await engine.validate('big')
    expect(v).toMatchObject({ valid: false, preflight: { unreachable: ['spark-2'] } })
    expect(v.reasons).toEqual([expect.stringContaining('spark-2 is unreachable')])
    expect(v.commands!.preflight).toHaveLength(6)
    const solo = await engine.validate('new')
    expect(solo).toMatchObject({ valid: true, preflight: { skipped: ['spark-2'] } })
    expect(solo.warnings).toEqual([expect.stringContaining('spark-2 does not answer')])
    expect(stops).toEqual([])
  })
})
