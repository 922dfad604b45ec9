/**
 * Swap pre-flight and the degrade-instead-of-losing-the-model behaviour on the simulated cluster,
 * through the gateway: a worker that does not answer is left out of a solo swap and refuses a
 * two-node one (503 + Retry-After) while the current model keeps serving; a worker lost during the
 * teardown still lets a solo previous model come back; the head's recipe file is replaced by the
 * controller's (or, under SWAP_RECIPE_SYNC=refuse, the swap is refused); a missing image is a 409;
 * an on-demand chat swap to a node that does not answer is a 503. The tests share one stack; each
 * starts with every node answering and loads the model it starts from.
 */
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { createClusterDriver } from '../../services/swap-controller/adapters/cluster-driver.ts'
import { createPreflightProbes } from '../../services/swap-controller/adapters/preflight-probes.ts'
import { createRecipeDir, readRecipeText } from '../../services/swap-controller/adapters/recipe-dir.ts'
import { loadSwapControllerConfig, sshKeyPath } from '../../services/swap-controller/config.ts'
import { buildInventory, sshTargets } from '../../services/swap-controller/domain/inventory.ts'
import { createSwapEngine } from '../../services/swap-controller/domain/swap/engine.ts'
import { silentLogger } from '../../shared/logger.ts'
import { createSshPool, type SshPool } from '../../shared/ssh/pool.ts'
import { SIM_DEFAULT_RECIPE } from '../../tools/spark-sim/recipes.ts'
import { sseReader } from '../../ui/fixtures/sse.ts'
import { eventually, useDemo } from '../support/demo.ts'
import { servedName } from '../support/served-names.ts'

const SOLO = 'gpt-oss-120b'
const TWO_NODE = 'glm-4.5-air'
const fixture = useDemo({
  name: 'swap-preflight',
  loadTimeMs: 600,
  env: { SWAP_VERIFY_TIMEOUT_S: '5', SWAP_STOP_GRACE_S: '1', CHAT_WAIT_DURING_SWAP_MS: '20000' },
})
const post = (path: string, body: unknown) =>
  fetch(fixture.url(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
const getJson = async (path: string) => (await fetch(fixture.url(path))).json()
const served = (key: string) => servedName(key)
const finished = (id: string) =>
  eventually(
    () => getJson(`/api/swap/${id}`),
    (j) => j.finished_at !== null,
    30_000,
  )
const loaded = (model: string) =>
  eventually(
    () => getJson('/api/status'),
    (s) => s.loaded_model === model,
    15_000,
  )
const node = (name: 'spark-1' | 'spark-2') => fixture.demo().sim.nodes.node(name)
const head = () => node('spark-1')
const ranSince = (from: number) =>
  head()
    .commandLog.slice(from)
    .map((e) => e.line)
const teardowns = (lines: string[]) => lines.filter((l) => /'docker' '(stop|rm)'|run-recipe/.test(l))
const servedIds = async () => ((await getJson('/v1/models')).data as { id: string }[]).map((m) => m.id)

async function given(recipe: string) {
  if ((await getJson('/api/status')).loaded_model === served(recipe)) return
  const job = await (await post('/api/swap', { recipe })).json()
  expect((await finished(job.job_id)).outcome).toBe('ready')
  await loaded(served(recipe))
}

/**
 * Every node answers again, and the controller sees it: its SSH pool reconnects with a backoff, so
 * the two-node recipe's pre-flight is asked until no node is unreachable.
 */
beforeEach(async () => {
  for (const n of fixture.demo().sim.nodes.nodes) n.setUnreachable(false)
  await eventually(
    () => getJson('/api/swap/state'),
    (s) => s.state === 'idle',
    30_000,
  )
  await eventually(
    async () => (await post(`/api/swap/${TWO_NODE}/validate`, {})).json(),
    (v) => v.preflight?.unreachable.length === 0,
    40_000,
  )
}, 80_000)

describe('swap pre-flight on the simulated cluster', () => {
  it('spark-2 does not answer: a two-node swap is refused with 503 and touches nothing; a solo swap goes ahead without it', async () => {
    await given(SIM_DEFAULT_RECIPE)
    node('spark-2').setUnreachable(true, { dropExisting: true })
    const from = head().commandLog.length
    const refused = await post('/api/swap', { recipe: TWO_NODE })
    expect(refused.status).toBe(503)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    const body = await refused.json()
    expect(body.detail).toMatch(/^spark-2 is unreachable .*glm-4\.5-air needs it\./)
    expect(body.detail).toContain(`${served(SIM_DEFAULT_RECIPE)} keeps serving`)
    expect(body.nodes).toEqual(['spark-2'])
    expect(teardowns(ranSince(from))).toEqual([])
    expect(await servedIds()).toContain(served(SIM_DEFAULT_RECIPE))
    expect(await servedIds()).not.toContain(served(TWO_NODE))

    const started = await post('/api/swap', { recipe: SOLO })
    expect(started.status).toBe(202)
    // Pre-flight is over: the worker may come back (the swap's plan no longer has it), which lets
    // the controller's SSH pool reconnect while the swap runs.
    node('spark-2').setUnreachable(false)
    const job = await started.json()
    expect(job.preflight).toMatchObject({ ok: true, skipped: ['spark-2'] })
    const done = await finished(job.job_id)
    expect(done).toMatchObject({ status: 'ready', outcome: 'ready', error: null })
    expect(done.warnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/^spark-2 does not answer .*left out/)]),
    )
    await loaded(served(SOLO))
    expect(
      head()
        .containers()
        .map((c) => c.vllm?.servedModelName),
    ).toEqual([served(SOLO)])
  }, 60_000)

  it('spark-2 lost while the two-node swap tears down: the solo previous model comes back', async () => {
    await given(SIM_DEFAULT_RECIPE)
    const abort = new AbortController()
    const events = sseReader((await fetch(fixture.url('/api/swap/events'), { signal: abort.signal })).body!)
    try {
      const started = await post('/api/swap', { recipe: TWO_NODE })
      expect(started.status).toBe(202)
      const { job_id: id } = await started.json()
      // The moment the old model is being stopped, the worker goes away.
      for (let e = await events.next(30_000); e; e = await events.next(30_000)) {
        const status = e.event === 'state' ? (JSON.parse(e.data) as { status: string }).status : null
        if (status === 'stopping' || status === 'verifying-stopped') break
      }
      node('spark-2').setUnreachable(true, { dropExisting: true })
      const done = await finished(id)
      node('spark-2').setUnreachable(false)
      expect(done).toMatchObject({
        status: 'ready',
        outcome: 'rolled_back',
        rollback: { recipe: SIM_DEFAULT_RECIPE, outcome: 'ready' },
      })
      expect(done.error).toContain('spark-2 is unreachable')
      expect(done.transitions.map((t: { state: string }) => t.state)).not.toContain('starting')
      await loaded(served(SIM_DEFAULT_RECIPE))
      expect(await servedIds()).toContain(served(SIM_DEFAULT_RECIPE))
    } finally {
      abort.abort()
      await events.cancel().catch(() => undefined)
    }
  }, 60_000)

  it('copies the controller’s recipe file to the head when it is missing there, audited', async () => {
    await given(SIM_DEFAULT_RECIPE)
    head().removeRecipeFile(SOLO)
    const job = await (await post('/api/swap', { recipe: SOLO })).json()
    expect(job.preflight).toMatchObject({ ok: true, recipe: 'missing' })
    expect((await finished(job.job_id)).outcome).toBe('ready')
    await loaded(served(SOLO))
    expect(head().recipeFileState(SOLO)).toBe('written')
    const recipesDir = fixture.demo().sim.env.RECIPES_DIR!
    const ours = await readFile(join(recipesDir, `${SOLO}.yaml`), 'utf8')
    expect(await onHead(`${fixture.demo().sim.env.SPARK_VLLM_DOCKER_DIR}/recipes/${SOLO}.yaml`)).toBe(ours)
    const history = (await getJson('/api/swap/history?limit=10')).entries as Array<Record<string, string>>
    expect(history.find((e) => e.action === 'recipe.sync')).toMatchObject({
      target: SOLO,
      outcome: 'ok',
      detail: expect.stringContaining('was missing'),
    })
  }, 60_000)

  it('under SWAP_RECIPE_SYNC=refuse a missing recipe file is a 409, and nothing is torn down', async () => {
    await given(SIM_DEFAULT_RECIPE)
    head().removeRecipeFile(SOLO)
    const from = head().commandLog.length
    const engine = refusingEngine()
    const err = await engine.request({ recipe: SOLO, actor: 'test' }).catch((e: unknown) => e)
    expect(err).toMatchObject({ status: 409, code: 'preflight_failed' })
    expect((err as Error).message).toContain('SWAP_RECIPE_SYNC=copy')
    expect(teardowns(ranSince(from))).toEqual([])
    expect(head().recipeFileState(SOLO)).toBe('removed')
    expect(await servedIds()).toContain(served(SIM_DEFAULT_RECIPE))
  }, 30_000)

  it('an image missing on spark-1 is a 409 naming it, and the model keeps serving', async () => {
    await given(SIM_DEFAULT_RECIPE)
    head().setImagePresent('vllm-node-mxfp4', false)
    try {
      const from = head().commandLog.length
      const res = await post('/api/swap', { recipe: SOLO })
      expect(res.status).toBe(409)
      const body = await res.json()
      expect(body.detail).toMatch(/^Pre-flight failed: The container image vllm-node-mxfp4 is not on spark-1/)
      expect(body.preflight.checks).toContainEqual(
        expect.objectContaining({ node: 'spark-1', check: 'image', ok: false }),
      )
      expect(teardowns(ranSince(from))).toEqual([])
      expect(await servedIds()).toContain(served(SIM_DEFAULT_RECIPE))
    } finally {
      head().setImagePresent('vllm-node-mxfp4', true)
    }
  }, 30_000)

  it('a chat request for an on-demand model whose node does not answer gets 503 + Retry-After', async () => {
    // Nothing loaded: no model's minimum residency stands between the request and its swap.
    expect((await post('/api/swap/stop', {})).status).toBe(200)
    head().setUnreachable(true, { dropExisting: true })
    const res = await post('/v1/chat/completions', {
      model: served(SIM_DEFAULT_RECIPE),
      messages: [{ role: 'user', content: 'hello' }],
      max_tokens: 8,
    })
    const body = await res.json()
    expect(res.status, JSON.stringify(body)).toBe(503)
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(body.error).toMatchObject({
      code: 'node_unreachable',
      message: expect.stringContaining('spark-1'),
    })
    expect(head().containers()).toEqual([])
  }, 30_000)
})

/** An SSH pool of this test's own, for reading the head's files and for the in-process engine. */
let pool: SshPool | null = null
afterAll(async () => {
  await pool?.close()
})
function config(extra: Record<string, string> = {}) {
  return loadSwapControllerConfig({ ...fixture.demo().sim.env, DATA_DIR: tmpdir(), ...extra })
}
function sshPool() {
  if (pool) return pool
  const c = config()
  pool = createSshPool({
    targets: sshTargets(buildInventory(c)),
    keyPath: sshKeyPath(c),
    knownHostsPath: c.SSH_KNOWN_HOSTS,
    logger: silentLogger(),
  })
  return pool
}
async function onHead(path: string) {
  const res = await sshPool().get('spark-1')!.exec(['cat', '--', path], { timeoutMs: 5000 })
  expect(res.code).toBe(0)
  return res.stdout
}

/**
 * The controller's engine, in this process, with SWAP_RECIPE_SYNC=refuse: the real pre-flight
 * probes and cluster driver over SSH to the same simulated Sparks, a stand-in for the store.
 */
function refusingEngine() {
  const c = config({ SWAP_RECIPE_SYNC: 'refuse' })
  const inventory = buildInventory(c)
  const ssh = sshPool()
  return createSwapEngine({
    catalog: createRecipeDir({ dir: c.RECIPES_DIR }),
    driver: createClusterDriver({ ssh, vllmHost: inventory.vllm.host, verifyTimeoutMs: 5000 }),
    coordination: {
      assertSwapAllowed: () => undefined,
      recordAudit: () => ({}) as never,
      enqueueWebhook: () => null,
    },
    loads: { start: () => undefined, finish: () => true, recentLoads: async () => [] },
    // What vLLM serves (the gateway's /v1/models also lists speech and voice models).
    loadedModels: async () => [(await getJson('/api/status')).loaded_model],
    inventory,
    vllmPort: inventory.vllm.port,
    container: inventory.vllm.container,
    stopGraceS: 1,
    fitPolicy: c.SWAP_FIT_POLICY,
    preflight: {
      probes: createPreflightProbes(ssh),
      localRecipe: (recipe) => readRecipeText(c.RECIPES_DIR, recipe.file),
      policy: c.SWAP_RECIPE_SYNC,
      cacheDir: c.MODEL_CACHE_DIR,
      nodes: inventory.nodes,
    },
  })
}
