/**
 * The Sparks' Hugging Face caches over SSH: listing (`find`), reading config.json (`cat`),
 * deleting one model directory (`rm -rf -- <hub>/models--org--name`) and running the download
 * tool. Every command is an argv quoted by shared/ssh; the only request value that reaches one is
 * a repo id already checked by assertModelId, and the paths are rebuilt from it here.
 */
import { abortable } from '../../../shared/abort.ts'
import { withRemoteDeadline } from '../../../shared/ssh/defaults.ts'
import { assertModelId } from '../../../shared/ssh/quote.ts'
import type { SshNodes } from '../../../shared/ssh/types.ts'
import { resolveDockerDir } from '../domain/inventory.ts'
import { configArgv, type DiskModel, parseScan, scanArgv } from '../domain/models/disk-scan.ts'
import type { DownloadRunner } from '../domain/models/downloads.ts'
import { type InferredSettings, inferSettings } from '../domain/models/hf-config.ts'
import { hubDir, modelDirPath } from '../domain/models/ids.ts'
import type { DiskEntry, DiskView } from '../domain/models/menu.ts'
import type { ModelDisk, NodeRemoval } from '../domain/models/service.ts'

export type DownloadTool = 'hf' | 'huggingface-cli' | 'uvx'

export interface ModelDiskOptions {
  ssh: SshNodes
  /** Nodes with an SSH user, in inventory order. */
  nodes: { name: string; user: string }[]
  /** MODEL_CACHE_DIR: `~/…` (per SSH user) or absolute. */
  cacheDir: string
  tool?: DownloadTool
  /** A whole scan's deadline (listing and config reads); default 10 s. */
  scanTimeoutMs?: number
  removeTimeoutMs?: number
  /** How long a scan is reused. */
  cacheMs?: number
}

const MAX_CONFIGS_KEPT = 500
/** Defaults of a whole scan's deadline and of one node's `rm -rf` (the gateway's change deadline is set from these). */
export const SCAN_TIMEOUT_MS = 10_000
export const REMOVE_TIMEOUT_MS = 60_000
const why = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 200)

/** The download tool's argv; `--cache-dir` keeps it in the cache the scan reads, whatever HF_HOME says. */
export function downloadArgv(tool: DownloadTool, repo: string, hub: string): string[] {
  assertModelId(repo, 'repo')
  const args = ['download', repo, '--cache-dir', hub]
  if (tool === 'uvx') return ['uvx', 'hf', ...args]
  return [tool, ...args]
}

export function createModelDisk(options: ModelDiskOptions): ModelDisk & { runner: DownloadRunner } {
  const {
    ssh,
    nodes,
    tool = 'hf',
    scanTimeoutMs = SCAN_TIMEOUT_MS,
    removeTimeoutMs = REMOVE_TIMEOUT_MS,
    cacheMs = 15_000,
  } = options
  const hubOf = (user: string) => hubDir(resolveDockerDir(options.cacheDir, user) as string)
  const configs = new Map<string, string | null>()
  let last: { at: number; view: DiskView } | null = null
  let inFlight: Promise<DiskView> | null = null

  async function scanNode(name: string, user: string, signal?: AbortSignal): Promise<DiskModel[]> {
    const node = ssh.get(name)
    if (!node) throw new Error('not in the SSH pool')
    const res = await node.exec(scanArgv(hubOf(user)), {
      timeoutMs: scanTimeoutMs,
      signal,
      maxOutputBytes: 4 * 1024 * 1024,
    })
    // find exits 1 for a missing hub (nothing downloaded yet) and for broken links of a download in progress.
    if (res.code !== 0 && res.stdout === '' && !/No such file or directory/.test(res.stderr))
      throw new Error(`find exited with ${res.code ?? res.signal}`)
    return parseScan(res.stdout).models
  }

  async function readConfig(
    name: string,
    user: string,
    model: DiskModel,
    signal?: AbortSignal,
  ): Promise<string | null> {
    const id = `${model.dir}@${model.revision}`
    if (configs.has(id)) return configs.get(id) ?? null
    let text: string | null = null
    if (model.files.some((f) => f.name === 'config.json')) {
      const res = await ssh
        .get(name)
        ?.exec(configArgv(hubOf(user), model), {
          timeoutMs: scanTimeoutMs,
          signal,
          maxOutputBytes: 256 * 1024,
        })
        .catch(() => null)
      if (res?.code !== 0) return null
      text = res.stdout
    }
    if (configs.size >= MAX_CONFIGS_KEPT) configs.clear()
    configs.set(id, text)
    return text
  }

  async function scanAll(signal?: AbortSignal): Promise<DiskView> {
    const failed: DiskView['failed'] = []
    const perNode = await Promise.all(
      nodes.map(async (n) => {
        try {
          return { node: n, models: await scanNode(n.name, n.user, signal) }
        } catch (err) {
          failed.push({ node: n.name, error: why(err) })
          return { node: n, models: [] as DiskModel[] }
        }
      }),
    )
    const byRepo = new Map<
      string,
      { first: (typeof perNode)[number]; model: DiskModel; nodes: string[]; size: number }
    >()
    for (const p of perNode) {
      for (const m of p.models) {
        const seen = byRepo.get(m.repo.toLowerCase())
        if (seen) {
          seen.nodes.push(p.node.name)
          seen.size = Math.max(seen.size, m.totalBytes)
        } else
          byRepo.set(m.repo.toLowerCase(), { first: p, model: m, nodes: [p.node.name], size: m.totalBytes })
      }
    }
    const models: DiskEntry[] = []
    // Sequential on purpose: a handful of small `cat`s, cached per revision after the first scan.
    for (const e of byRepo.values()) {
      const config = await readConfig(e.first.node.name, e.first.node.user, e.model, signal)
      const settings: InferredSettings = inferSettings(config, e.model.files)
      models.push({ repo: e.model.repo, nodes: e.nodes, sizeBytes: e.size, settings })
    }
    return { models, failed }
  }

  return {
    scan({ fresh = false, signal } = {}) {
      if (!fresh && last && Date.now() - last.at < cacheMs) return Promise.resolve(last.view)
      // The scan is shared by every caller meanwhile, so it runs on its own deadline: a caller's
      // signal (a client that went away) would fail it for all of them. A caller stops waiting on
      // its own signal instead. A view in which every node failed is not kept: the next look retries.
      inFlight ??= scanAll(AbortSignal.timeout(scanTimeoutMs))
        .then((view) => {
          if (nodes.length === 0 || view.failed.length < nodes.length) last = { at: Date.now(), view }
          return view
        })
        .finally(() => {
          inFlight = null
        })
      return signal ? abortable(inFlight, signal) : inFlight
    },
    invalidate() {
      last = null
    },
    async remove(repo) {
      return Promise.all(
        nodes.map(async (n): Promise<NodeRemoval> => {
          const node = ssh.get(n.name)
          if (!node) return { node: n.name, ok: false, error: 'not in the SSH pool' }
          try {
            const dir = modelDirPath(hubOf(n.user), repo)
            // Asked first, so the answer can say where there was nothing to remove.
            const there = await node.exec(['test', '-e', dir], { timeoutMs: removeTimeoutMs })
            if (there.code === 1) return { node: n.name, ok: true, error: null, on_disk: false }
            const res = await node.exec(['rm', '-rf', '--', dir], { timeoutMs: removeTimeoutMs })
            return res.code === 0
              ? { node: n.name, ok: true, error: null, on_disk: true }
              : {
                  node: n.name,
                  ok: false,
                  error: `rm exited with ${res.code ?? res.signal}: ${res.stderr.slice(0, 200).trim()}`,
                }
          } catch (err) {
            return { node: n.name, ok: false, error: why(err) }
          }
        }),
      )
    },
    runner: {
      async run(name, repo, { onLine, signal, timeoutMs }) {
        const n = nodes.find((x) => x.name === name)
        const node = ssh.get(name)
        if (!n || !node) throw new Error(`${name} is not in the SSH pool`)
        const argv = withRemoteDeadline(downloadArgv(tool, repo, hubOf(n.user)), timeoutMs)
        // tqdm redraws with `\r`: without carriageReturnEndsLine a "line" would only end with the download.
        const result = await node.stream(argv, {
          signal,
          maxLineBytes: 4096,
          carriageReturnEndsLine: true,
          onLine: (line, _stream, cut) => onLine(line, cut),
        })
        return { code: result.aborted ? null : result.code }
      },
    },
  }
}
