/**
 * The cluster driver through the real SSH client, against one in-process SSH server per node: the
 * command strings that arrive are, byte for byte and in order, the ones the dry run shows — remote
 * deadline included, so every step ran with the budget the plan gave it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../shared/logger.ts'
import { SshPool } from '../../../shared/ssh/pool.ts'
import { type FakeSshd, generateKeys, startFakeSshd } from '../../../tests/ssh/fake-sshd.ts'
import { planStop, planSwap, type RenderedCommand, renderPlan, renderTeardown } from '../domain/swap/plan.ts'
import { testRecipe } from '../testing/engine-parts.ts'
import { createClusterDriver } from './cluster-driver.ts'

const NODES = ['spark-1', 'spark-2'] as const
const clientKey = generateKeys()
const sshd: Record<string, FakeSshd> = {}
let dir: string
let pool: SshPool

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cluster-driver-'))
  const keyPath = join(dir, 'id_ed25519')
  await writeFile(keyPath, clientKey.private, { mode: 0o600 })
  for (const n of NODES) sshd[n] = await startFakeSshd(clientKey.public)
  pool = new SshPool({
    targets: NODES.map((name) => ({ name, host: '127.0.0.1', port: sshd[name]!.port, user: 'tester' })),
    keyPath,
    logger: silentLogger(),
  })
})
afterAll(async () => {
  await pool?.close()
  await Promise.all(Object.values(sshd).map((s) => s.close()))
  await rm(dir, { recursive: true, force: true })
})

const inventory = NODES.map((name) => ({
  name,
  user: 'tester',
  dockerDir: '/home/tester/spark-vllm-docker',
  role: name === 'spark-1' ? 'head' : 'worker',
}))
const settings = { nodes: inventory, vllmPort: 8888, container: 'vllm_node', stopGraceS: 3 }
// No vLLM host: verification reads the nodes only. The fake sshd has no docker, so the container
// check fails and one round of verification ends the wait.
const driver = () => createClusterDriver({ ssh: pool, vllmHost: null, verifyTimeoutMs: 100 })

/** What each node received from `from` on, against the dry run's commands for that node. */
function expectSent(from: Record<string, number>, shown: RenderedCommand[]) {
  for (const n of NODES) {
    const sent = sshd[n]!.commands.slice(from[n])
    expect(sent, n).toEqual(shown.filter((c) => c.node === n).map((c) => c.command))
  }
}
const mark = () => Object.fromEntries(NODES.map((n) => [n, sshd[n]!.commands.length]))

describe('cluster driver over SSH', () => {
  it('sends exactly the commands a swap dry run shows, in order on each node', async () => {
    const recipe = testRecipe('new', 'new-model')
    if (!recipe.valid) throw new Error(recipe.reasons.join('; '))
    const plan = planSwap({ ...settings, recipe })
    const shown = renderPlan(plan)
    const from = mark()
    const d = driver()
    const signal = AbortSignal.timeout(20_000)
    await d.stop(plan, signal)
    await expect(d.verifyStopped(plan, signal)).rejects.toMatchObject({ stage: 'teardown' })
    await expect(d.launch(plan, signal)).rejects.toMatchObject({ stage: 'launch' })
    expectSent(from, [...shown.teardown, ...shown.verify, ...shown.launch])
    expect(shown.launch[0]!.command).toMatch(/^'timeout' '-s' 'KILL' '601\.000s' '\/home\/tester\//)
  })

  it('sends exactly the commands a stop dry run shows', async () => {
    const plan = planStop(settings)
    const shown = renderTeardown(plan)
    const from = mark()
    const d = driver()
    const signal = AbortSignal.timeout(20_000)
    await d.stop(plan, signal)
    await expect(d.verifyStopped(plan, signal)).rejects.toMatchObject({ stage: 'teardown' })
    expectSent(from, [...shown.teardown, ...shown.verify])
    expect(shown.teardown.map((c) => c.command)).toContain(
      "'timeout' '-s' 'KILL' '34.000s' 'docker' 'stop' '-t' '3' 'vllm_node'",
    )
  })
})
