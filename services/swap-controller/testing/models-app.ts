/**
 * The model management routes in-process, for their tests: buildApp with a fake disk (two models
 * on both nodes), a download runner that waits to be released, SQLite in memory, and the real
 * recipes. Stores close after each test, data directories after the file.
 */
import { rm } from 'node:fs/promises'
import { afterAll, afterEach } from 'vitest'
import { silentLogger } from '../../../shared/logger.ts'
import { createRecipeDir } from '../adapters/recipe-dir.ts'
import { openSwapStore, type SwapStore } from '../adapters/store/store.ts'
import type { VllmClient } from '../adapters/vllm-client.ts'
import { buildApp } from '../app.ts'
import { loadSwapControllerConfig } from '../config.ts'
import { GB10_NODE_MEMORY_BYTES } from '../domain/catalog/memory.ts'
import { createCoordination } from '../domain/coordination/service.ts'
import { buildInventory } from '../domain/inventory.ts'
import type { CustomModel } from '../domain/models/custom.ts'
import { createDownloads, type DownloadRunner } from '../domain/models/downloads.ts'
import { withEarlierCards } from '../domain/models/earlier-catalog.ts'
import { inferSettings } from '../domain/models/hf-config.ts'
import type { DiskView } from '../domain/models/menu.ts'
import {
  createModelService,
  type ModelDisk,
  type NodeRemoval,
  type SwapGlance,
} from '../domain/models/service.ts'
import { FakeSshNodes } from '../testing/fakes.ts'

export const RECIPES = new URL('../../../recipes/', import.meta.url).pathname
export const QWEN = 'Qwen/Qwen3-Coder-30B-A3B-Instruct-FP8'
const stores: SwapStore[] = []
/** Temporary data directories to remove after the file. */
export const dirs: string[] = []
/** Closes every store opened so far (a restart, within a test). */
export const closeStores = () => {
  for (const s of stores.splice(0)) s.close()
}
afterEach(closeStores)
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

const settings = inferSettings(
  JSON.stringify({
    architectures: ['Qwen3ForCausalLM'],
    max_position_embeddings: 262144,
    torch_dtype: 'bfloat16',
  }),
  [{ name: 'model.safetensors', size: 8_000_000_000 }],
)

export class FakeDisk implements ModelDisk {
  view: DiskView = {
    models: [
      { repo: QWEN, nodes: ['spark-1', 'spark-2'], sizeBytes: 33e9, settings },
      { repo: 'Qwen/Qwen3-4B-Instruct-2507', nodes: ['spark-1', 'spark-2'], sizeBytes: 8e9, settings },
    ],
    failed: [],
  }
  removed: string[] = []
  failOn: string | null = null
  /** Repos no node has on disk: a remove finds nothing there. */
  absent: string[] = []
  async scan() {
    return this.view
  }
  async remove(repo: string): Promise<NodeRemoval[]> {
    this.removed.push(repo)
    const onDisk = !this.absent.includes(repo)
    return ['spark-1', 'spark-2'].map((node) =>
      node === this.failOn
        ? { node, ok: false, error: 'connection lost' }
        : { node, ok: true, error: null, on_disk: onDisk },
    )
  }
  invalidate() {}
}

/** Prints a couple of tqdm redraws, then waits for `release` (or the abort). */
export function fakeRunner(): DownloadRunner & { release(): void } {
  let release = () => {}
  const gate = new Promise<void>((r) => (release = r))
  return {
    release: () => release(),
    async run(_node, repo, { onLine, signal }) {
      onLine('Fetching 2 files:  50%|█████     | 1/2 [00:01<00:01, 1.0s/it]', false)
      await Promise.race([gate, new Promise((r) => signal.addEventListener('abort', r, { once: true }))])
      if (signal.aborted) return { code: null }
      onLine(`/home/u/.cache/huggingface/hub/models--${repo.replace('/', '--')}/snapshots/abc`, false)
      return { code: 0 }
    },
  }
}

export async function setup(
  opts: {
    loaded?: string[] | 'down' | (() => Promise<string[]>)
    swap?: SwapGlance | null
    dataDir?: string
    /** The disk scan never answers (the menu must not wait for it). */
    scanHangs?: boolean
    earlier?: CustomModel[]
  } = {},
) {
  const store = await openSwapStore(opts.dataDir ? { dataDir: opts.dataDir } : { path: ':memory:' })
  stores.push(store)
  const coordination = createCoordination({ store })
  const config = loadSwapControllerConfig({
    SPARK1_HOST: '192.0.2.10',
    SPARK1_USER: 'owner',
    SPARK2_HOST: '192.0.2.11',
    SPARK2_USER: 'owner',
  })
  const inventory = buildInventory(config)
  const disk = new FakeDisk()
  if (opts.scanHangs) disk.scan = () => new Promise(() => undefined)
  const runner = fakeRunner()
  /** Reasons swaps are held for right now. */
  const holds: string[] = []
  const recipes = createRecipeDir({ dir: RECIPES, recheckMs: 0 })
  const listModels = async () => {
    if (typeof opts.loaded === 'function') return opts.loaded()
    if (opts.loaded === 'down') throw new Error('ECONNREFUSED')
    return opts.loaded ?? []
  }
  const vllm = { listModels } as unknown as VllmClient
  const downloads = createDownloads({
    runner,
    nodes: () => ['spark-1', 'spark-2'],
    audit: (e) => coordination.recordAudit(e),
    timeoutMs: 10_000,
  })
  const models = createModelService({
    recipes,
    disk,
    custom: withEarlierCards(store.customModels, () => opts.earlier ?? []),
    downloads,
    loadedModels: listModels,
    swapState: () => opts.swap ?? null,
    holdSwaps: (reason) => {
      holds.push(reason)
      return () => void holds.splice(holds.indexOf(reason), 1)
    },
    audit: (e) => coordination.recordAudit(e),
    nodeMemoryBytes: GB10_NODE_MEMORY_BYTES,
    menuScanBudgetMs: 100,
  })
  const app = buildApp({
    config,
    inventory,
    ssh: new FakeSshNodes(),
    vllm,
    logger: silentLogger(),
    readinessCacheMs: 0,
    catalog: { recipes, history: store.loads },
    coordination,
    models,
  })
  const send = async (method: string, path: string, body?: unknown) => {
    const init: RequestInit = {
      method,
      headers: {
        'x-spark-actor': 'tester',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
    }
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body)
    const res = await app.request(path, init)
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.json() }
  }
  const audit = () => coordination.history(50)
  return { send, disk, runner, downloads, audit, store, holds }
}
