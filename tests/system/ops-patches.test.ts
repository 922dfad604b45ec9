/**
 * The container patches on the simulated cluster: the swap-controller app in this process, real
 * SSH to the simulated Sparks, their docker (`update`, `inspect --format`), and the audit log in
 * SQLite. The repository's patch files plus one test patch (a memory cap on bge-m3) are read from a
 * temporary PATCHES_DIR. Each test touches its own patch and service, so any one runs alone.
 */
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNodeCommands } from '../../services/swap-controller/adapters/ops/node-commands.ts'
import { createPatchDir } from '../../services/swap-controller/adapters/ops/patch-dir.ts'
import { openSwapStore, type SwapStore } from '../../services/swap-controller/adapters/store/store.ts'
import { createVllmClient } from '../../services/swap-controller/adapters/vllm-client.ts'
import { buildApp } from '../../services/swap-controller/app.ts'
import { loadSwapControllerConfig, sshKeyPath } from '../../services/swap-controller/config.ts'
import { createCoordination } from '../../services/swap-controller/domain/coordination/service.ts'
import { buildInventory, sshTargets } from '../../services/swap-controller/domain/inventory.ts'
import { createPatchOps } from '../../services/swap-controller/domain/ops/patches/service.ts'
import type {
  PatchApplyAnswer,
  PatchesAnswer,
  ServiceContainerSpec,
} from '../../shared/contracts/swap-controller.ts'
import { silentLogger } from '../../shared/logger.ts'
import type { ServiceApp } from '../../shared/service.ts'
import { createSshPool, type SshPool } from '../../shared/ssh/pool.ts'
import { type SimulatedCluster, startSimulatedCluster } from '../../tools/spark-sim/index.ts'
import { REPO_ROOT } from '../../tools/stack/launch.ts'

const GIB = 1024 ** 3
const PARAKEET_CAP = 48 * GIB
const EMBED_CAP = 8 * GIB

const service = (
  name: string,
  container: string,
  memory_cap_bytes: number | null,
  kind: ServiceContainerSpec['kind'],
): ServiceContainerSpec => ({
  name,
  kind,
  node: 'spark-2',
  container,
  port: null,
  health_path: '/health',
  restart_policy: 'unless-stopped',
  memory_cap_bytes,
  auto_restart: false,
  custom: false,
  disabled: false,
})
const SERVICES = [
  service('parakeet', 'parakeet-asr', PARAKEET_CAP, 'stt'),
  service('kokoro', 'kokoro-tts', null, 'tts'),
  service('embeddings', 'bge-m3', EMBED_CAP, 'embeddings'),
]

/** A patch of the test's own: the repository ships none for bge-m3. */
async function writeTestPatches(dir: string) {
  const repo = join(REPO_ROOT, 'patches')
  for (const f of (await readdir(repo)).filter((n) => n.endsWith('.yaml')))
    await copyFile(join(repo, f), join(dir, f))
  const cap = await readFile(join(repo, 'parakeet-memory-cap.yaml'), 'utf8')
  await writeFile(
    join(dir, 'embeddings-memory-cap.yaml'),
    cap
      .replace('id: parakeet-memory-cap', 'id: embeddings-memory-cap')
      .replace('service: parakeet', 'service: embeddings'),
  )
}

let sim: SimulatedCluster
let ssh: SshPool
let store: SwapStore
let app: ServiceApp
let dataDir = ''

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ops-patches-'))
  const patchesDir = await mkdtemp(join(tmpdir(), 'ops-patches-dir-'))
  await writeTestPatches(patchesDir)
  sim = await startSimulatedCluster({ dataDir, preload: null })
  const config = loadSwapControllerConfig({ ...sim.env, DATA_DIR: dataDir, PATCHES_DIR: patchesDir })
  const inventory = buildInventory(config)
  ssh = createSshPool({
    targets: sshTargets(inventory),
    keyPath: sshKeyPath(config),
    knownHostsPath: config.SSH_KNOWN_HOSTS,
    logger: silentLogger(),
  })
  store = await openSwapStore({ dataDir })
  const coordination = createCoordination({ store })
  const patches = createPatchOps({
    catalog: createPatchDir({ dir: config.PATCHES_DIR }),
    services: () => SERVICES,
    runner: createNodeCommands({ ssh }),
    swapActivity: { busyNodes: () => [] },
    audit: (entry) => coordination.recordAudit(entry),
    checkTimeoutMs: 3000,
  })
  app = buildApp({
    config,
    inventory,
    ssh,
    vllm: createVllmClient({ baseUrl: null }),
    logger: silentLogger(),
    coordination,
    patches,
  })
}, 60_000)

afterAll(async () => {
  await ssh?.close()
  store?.close()
  await sim?.close()
  await rm(dataDir, { recursive: true, force: true })
})

const worker = () => sim.nodes.node('spark-2')
const status = async () => (await (await app.request('/api/ops/patches')).json()) as PatchesAnswer
const stateOf = (s: PatchesAnswer, id: string, svc: string) =>
  s.patches.find((p) => p.id === id && p.service === svc)?.state
const apply = async (body: unknown) => {
  const res = await app.request('/api/ops/patches/apply', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-spark-actor': 'ops-test' },
    body: JSON.stringify(body),
  })
  expect(res.status).toBe(200)
  return (await res.json()) as PatchApplyAnswer
}
const updatesSent = () => worker().commandLog.filter((e) => e.line.startsWith("'docker' 'update'")).length
const auditRows = async (target: string) => {
  const res = await app.request('/api/swap/history?action=ops.patch.apply&limit=500')
  const { entries } = (await res.json()) as {
    entries: { target: string; outcome: string; dry_run: boolean }[]
  }
  return entries.filter((e) => e.target === target)
}

describe('patches on the simulated cluster', () => {
  it('shows a patch missing, dry-runs it without touching anything, applies it, then skips it', async () => {
    const before = await status()
    expect(before.simulated).toBe(true)
    expect(before.invalid).toEqual([])
    expect(stateOf(before, 'parakeet-memory-cap', 'parakeet')).toBe('missing')
    // The simulated containers run with --restart unless-stopped already, as the earlier layout does.
    expect(stateOf(before, 'speech-restart-policy', 'kokoro')).toBe('applied')

    const updates = updatesSent()
    const dry = await apply({ dry_run: true, ids: ['parakeet-memory-cap'] })
    expect(dry).toMatchObject({ dry_run: true, ok: true })
    expect(dry.results[0]?.steps.map((s) => [s.kind, s.command.argv.join(' ')])).toEqual([
      ['check', 'docker inspect --format {{.HostConfig.Memory}} parakeet-asr'],
      ['apply', `docker update --memory ${PARAKEET_CAP} --memory-swap ${PARAKEET_CAP} parakeet-asr`],
      ['recheck', 'docker inspect --format {{.HostConfig.Memory}} parakeet-asr'],
    ])
    expect(updatesSent()).toBe(updates)
    expect(stateOf(await status(), 'parakeet-memory-cap', 'parakeet')).toBe('missing')

    const done = await apply({ confirm: true, ids: ['parakeet-memory-cap'] })
    expect(done.ok).toBe(true)
    expect(done.results[0]).toMatchObject({ before: 'missing', after: 'applied', applied: true })
    expect(done.results[0]?.summary).toBe(
      'parakeet-memory-cap on parakeet (spark-2): applied, and its check passes',
    )
    expect(stateOf(await status(), 'parakeet-memory-cap', 'parakeet')).toBe('applied')

    const again = await apply({ confirm: true, ids: ['parakeet-memory-cap'] })
    expect(again.results[0]).toMatchObject({ skipped: true, applied: false })
    expect(again.results[0]?.steps.map((s) => s.kind)).toEqual(['check'])
    expect((await auditRows('parakeet-memory-cap/parakeet')).map((e) => [e.outcome, e.dry_run])).toEqual([
      ['ok', false],
      ['ok', false],
      ['ok', true],
    ])
  })

  it('reports a patch whose check still fails after docker accepted the update, and never marks it applied', async () => {
    worker().setUpdateIgnored(true)
    try {
      const answer = await apply({ confirm: true, ids: ['embeddings-memory-cap'] })
      expect(answer.ok).toBe(false)
      const [r] = answer.results
      expect(r).toMatchObject({ before: 'missing', after: 'missing', applied: false, skipped: false })
      expect(r?.steps.map((s) => [s.kind, s.ok])).toEqual([
        ['check', false],
        ['apply', true],
        ['recheck', false],
      ])
      expect(r?.steps[2]?.detail).toMatch(/^still fails after apply — .*is "0", expected "8589934592"/)
      expect(r?.summary).toMatch(/not applied: the check failed after apply/)
      expect(stateOf(await status(), 'embeddings-memory-cap', 'embeddings')).toBe('missing')
      expect((await auditRows('embeddings-memory-cap/embeddings')).map((e) => e.outcome)).toEqual(['failed'])
    } finally {
      worker().setUpdateIgnored(false)
    }
  })

  it('says unknown, with the reason, while the node does not answer', async () => {
    worker().setUnreachable(true, { dropExisting: true })
    try {
      const s = await status()
      const mine = s.patches.find((p) => p.id === 'speech-restart-policy' && p.service === 'kokoro')
      expect(mine).toMatchObject({
        state: 'unknown',
        detail: expect.stringMatching(/^spark-2 did not answer: /),
      })
    } finally {
      worker().setUnreachable(false)
    }
  })
})
