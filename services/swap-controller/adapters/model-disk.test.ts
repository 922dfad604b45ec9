/**
 * The model-cache adapter over real SSH against the simulated Sparks: the `find` listing and
 * config.json inference, `rm -rf` of exactly one model directory on every node, and downloads with
 * progress, a failure part-way, a 404 repo and a cancel. Also checks the exact commands sent.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { silentLogger } from '../../../shared/logger.ts'
import { generateEd25519KeyPair } from '../../../shared/ssh/keygen.ts'
import { createSshPool, type SshPool } from '../../../shared/ssh/pool.ts'
import {
  SIM_DOWNLOADABLE_MODEL,
  SIM_UNRECIPED_MODEL,
  type SimNodesHandle,
  startSimNodes,
} from '../../../tools/spark-sim/cluster/index.ts'
import { SIM_RECIPES } from '../../../tools/spark-sim/recipes.ts'
import type { AuditInput } from '../domain/coordination/ports.ts'
import { createDownloads, type DownloadView } from '../domain/models/downloads.ts'
import { createModelDisk } from './model-disk.ts'

const QWEN = 'Qwen/Qwen3-Coder-30B-A3B-Instruct-FP8'
let dir: string
let sim: SimNodesHandle
let pool: SshPool
let disk: ReturnType<typeof createModelDisk>
const audits: AuditInput[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'model-disk-'))
  const key = generateEd25519KeyPair()
  await writeFile(join(dir, 'id'), key.private, { mode: 0o600 })
  sim = await startSimNodes({
    nodes: [
      { name: 'spark-1', host: '127.0.0.1', sshPort: 0, role: 'head' },
      { name: 'spark-2', host: '127.0.0.1', sshPort: 0, role: 'worker' },
    ],
    authorizedKeys: [key.public],
    vllmDir: '/home/sim/spark-vllm-docker',
    recipes: SIM_RECIPES,
    hfCacheModels: [QWEN, SIM_UNRECIPED_MODEL, 'openai/gpt-oss-120b'],
    downloadTimeMs: 600,
    portMap: () => 0,
  })
  pool = createSshPool({
    targets: sim.nodes.map((n) => ({ name: n.name, host: n.host, port: n.sshPort, user: 'sim' })),
    keyPath: join(dir, 'id'),
    logger: silentLogger(),
  })
  disk = createModelDisk({
    ssh: pool,
    nodes: [
      { name: 'spark-1', user: 'sim' },
      { name: 'spark-2', user: 'sim' },
    ],
    cacheDir: '~/.cache/huggingface',
  })
})

afterAll(async () => {
  await pool?.close()
  await sim?.close()
  await rm(dir, { recursive: true, force: true })
})

const downloads = (timeoutMs = 10_000) =>
  createDownloads({
    runner: disk.runner,
    nodes: () => ['spark-1', 'spark-2'],
    audit: (e) => audits.push(e),
    timeoutMs,
  })

/** Waits for the download to end, noting the percentage it showed every 50 ms on the way. */
const finished = (d: ReturnType<typeof downloads>, id: string, seen: number[] = []): Promise<DownloadView> =>
  vi.waitFor(
    () => {
      const v = d.get(id)!
      seen.push(v.percent)
      if (v.status === 'running') throw new Error(`download ${id} still running at ${v.percent}%`)
      return v
    },
    { timeout: 30_000, interval: 50 },
  )

/** How many download commands each node has been sent so far. */
const downloadRuns = () => sim.nodes.map((n) => n.commandLog.filter((c) => c.line.includes("'hf'")).length)

describe('model cache over SSH (simulated Sparks)', () => {
  it('lists every model with its nodes, size and settings inferred from config.json', async () => {
    const view = await disk.scan({ fresh: true })
    expect(view.failed).toEqual([])
    expect(view.models.map((m) => m.repo).sort()).toEqual(
      [SIM_UNRECIPED_MODEL, QWEN, 'openai/gpt-oss-120b'].sort(),
    )
    const qwen = view.models.find((m) => m.repo === QWEN)!
    expect(qwen.nodes).toEqual(['spark-1', 'spark-2'])
    expect(qwen.settings).toMatchObject({
      architecture: 'Qwen3MoeForCausalLM',
      max_model_len: 262_144,
      dtype: 'bfloat16',
      quantization: 'fp8',
    })
    expect(qwen.settings.weights_gib).toBeCloseTo(30.5, 0)
    expect(qwen.sizeBytes).toBeGreaterThan(qwen.settings.weights_bytes!)
    const oss = view.models.find((m) => m.repo === 'openai/gpt-oss-120b')!
    expect(oss.settings.quantization).toBe('mxfp4')
    const line = sim.node('spark-1').commandLog.find((c) => c.line.includes("'find'"))!.line
    expect(line).toContain(
      "'find' '-L' '/home/sim/.cache/huggingface/hub' '-mindepth' '4' '-maxdepth' '4' '-type' 'f' '-printf' '%s\\t%P\\n'",
    )
  })

  it('removes exactly the model directory on every node, quoted', async () => {
    const removed = await disk.remove('openai/gpt-oss-120b')
    expect(removed).toEqual([
      { node: 'spark-1', ok: true, error: null, on_disk: true },
      { node: 'spark-2', ok: true, error: null, on_disk: true },
    ])
    for (const n of sim.nodes) expect(n.cachedModels()).not.toContain('openai/gpt-oss-120b')
    expect(sim.node('spark-2').commandLog.at(-1)!.line).toMatch(
      /^'timeout' '-s' 'KILL' '[0-9.]+s' 'rm' '-rf' '--' '\/home\/sim\/\.cache\/huggingface\/hub\/models--openai--gpt-oss-120b'$/,
    )
    disk.invalidate()
    expect((await disk.scan()).models.map((m) => m.repo)).not.toContain('openai/gpt-oss-120b')
    // Again: nothing there any more, and the answer says so instead of "removed".
    expect(await disk.remove('openai/gpt-oss-120b')).toEqual([
      { node: 'spark-1', ok: true, error: null, on_disk: false },
      { node: 'spark-2', ok: true, error: null, on_disk: false },
    ])
  })

  it('downloads to every node with rising progress, then the model is on disk', async () => {
    sim.setDownloadTimeMs(2000)
    const d = downloads()
    const started = d.start({ repo: SIM_DOWNLOADABLE_MODEL, actor: 'test' })
    const seen: number[] = []
    const done = await finished(d, started.download_id, seen).finally(() => sim.setDownloadTimeMs(600))
    expect(done.status).toBe('done')
    expect(done.percent).toBe(100)
    expect(seen.some((p) => p > 0 && p < 100)).toBe(true)
    for (const n of done.nodes) {
      expect(n).toMatchObject({ status: 'done', exit_code: 0, files_total: expect.any(Number) })
      expect(n.snapshot_path).toMatch(
        /^\/home\/sim\/\.cache\/huggingface\/hub\/models--microsoft--Phi-4-mini-instruct\/snapshots\/[0-9a-f]{40}$/,
      )
      expect(n.bytes_downloaded).toBeGreaterThan(7e9)
    }
    for (const n of sim.nodes) expect(n.cachedModels()).toContain(SIM_DOWNLOADABLE_MODEL)
    expect(audits.filter((a) => a.target === SIM_DOWNLOADABLE_MODEL).map((a) => a.outcome)).toEqual([
      'started',
      'ok',
    ])
  })

  it('reports a node whose download breaks off, and the Hub 404 of an unknown repo', async () => {
    await disk.remove(SIM_DOWNLOADABLE_MODEL)
    sim.node('spark-2').setDownloadFailure('network')
    try {
      const d = downloads()
      const broken = await finished(d, d.start({ repo: SIM_DOWNLOADABLE_MODEL, actor: 'test' }).download_id)
      expect(broken.status).toBe('failed')
      expect(broken.nodes.find((n) => n.node === 'spark-1')!.status).toBe('done')
      expect(broken.nodes.find((n) => n.node === 'spark-2')).toMatchObject({ status: 'failed', exit_code: 1 })
      expect(broken.error).toMatch(/spark-2: .*RemoteProtocolError/)
      expect(sim.node('spark-2').cachedModels()).not.toContain(SIM_DOWNLOADABLE_MODEL)
    } finally {
      sim.node('spark-2').setDownloadFailure(null)
    }
    const d = downloads()
    const missing = await finished(d, d.start({ repo: 'nobody/no-such-model', actor: 'test' }).download_id)
    expect(missing.status).toBe('failed')
    expect(missing.error).toContain('Repository Not Found')
  })

  it('cancels a running download and stops the remote command; a deadline stops it too', async () => {
    sim.setDownloadTimeMs(20_000)
    try {
      const d = downloads()
      const before = downloadRuns()
      const started = d.start({ repo: 'openai/gpt-oss-120b', actor: 'test' })
      // Cancel once the download tool runs on both nodes.
      await vi.waitFor(() => expect(downloadRuns()).toEqual(before.map((n) => n + 1)))
      d.cancel(started.download_id, { actor: 'test' })
      const v = await finished(d, started.download_id)
      expect(v.status).toBe('cancelled')
      const slow = downloads(500)
      const timedOut = await finished(
        slow,
        slow.start({ repo: 'openai/gpt-oss-120b', actor: 'test' }).download_id,
      )
      expect(timedOut.status).toBe('failed')
      expect(timedOut.error).toContain('did not finish within')
      for (const n of sim.nodes) expect(n.cachedModels()).not.toContain('openai/gpt-oss-120b')
      const line = sim.node('spark-1').commandLog.findLast((c) => c.line.includes("'hf'"))!.line
      expect(line).toMatch(
        /^'timeout' '-s' 'KILL' '[0-9.]+s' 'hf' 'download' 'openai\/gpt-oss-120b' '--cache-dir' '\/home\/sim\/\.cache\/huggingface\/hub'$/,
      )
    } finally {
      sim.setDownloadTimeMs(600)
    }
  })
})
