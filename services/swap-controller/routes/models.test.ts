/**
 * Model management routes in-process: add (validation, conflicts, audit), the menu with disk
 * discovery, delete with its 409 guards and partial failures, suggestions, and downloads (start,
 * poll, conflict, cancel). Disk and download runner are fakes; the store is SQLite in memory.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../shared/logger.ts'
import { createRecipeDir } from '../adapters/recipe-dir.ts'
import { openSwapStore, type SwapStore } from '../adapters/store/store.ts'
import { buildApp } from '../app.ts'
import { loadSwapControllerConfig } from '../config.ts'
import { createCoordination } from '../domain/coordination/service.ts'
import { buildInventory } from '../domain/inventory.ts'
import { GB10_NODE_MEMORY_BYTES } from '../domain/catalog/memory.ts'
import { createDownloads, type DownloadRunner } from '../domain/models/downloads.ts'
import { inferSettings } from '../domain/models/hf-config.ts'
import type { DiskView } from '../domain/models/menu.ts'
import { createModelService, type ModelDisk, type NodeRemoval, type SwapGlance } from '../domain/models/service.ts'
import type { VllmClient } from '../adapters/vllm-client.ts'
import { FakeSshNodes } from '../testing/fakes.ts'

const RECIPES = new URL('../../../recipes/', import.meta.url).pathname
const QWEN = 'Qwen/Qwen3-Coder-30B-A3B-Instruct-FP8'
const stores: SwapStore[] = []
const dirs: string[] = []
afterEach(() => stores.splice(0).forEach((s) => s.close()))
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

const settings = inferSettings(JSON.stringify({ architectures: ['Qwen3ForCausalLM'], max_position_embeddings: 262144, torch_dtype: 'bfloat16' }), [
  { name: 'model.safetensors', size: 8_000_000_000 },
])

class FakeDisk implements ModelDisk {
  view: DiskView = {
    models: [
      { repo: QWEN, nodes: ['spark-1', 'spark-2'], sizeBytes: 33e9, settings },
      { repo: 'Qwen/Qwen3-4B-Instruct-2507', nodes: ['spark-1', 'spark-2'], sizeBytes: 8e9, settings },
    ],
    failed: [],
  }
  removed: string[] = []
  failOn: string | null = null
  async scan() {
    return this.view
  }
  async remove(repo: string): Promise<NodeRemoval[]> {
    this.removed.push(repo)
    return ['spark-1', 'spark-2'].map((node) =>
      node === this.failOn ? { node, ok: false, error: 'connection lost' } : { node, ok: true, error: null },
    )
  }
  invalidate() {}
}

/** Prints a couple of tqdm redraws, then waits for `release` (or the abort). */
function fakeRunner(): DownloadRunner & { release(): void } {
  let release = () => {}
  const gate = new Promise<void>((r) => (release = r))
  return {
    release: () => release(),
    async run(node, repo, { onLine, signal }) {
      onLine('Fetching 2 files:  50%|█████     | 1/2 [00:01<00:01, 1.0s/it]', false)
      await Promise.race([gate, new Promise((r) => signal.addEventListener('abort', r, { once: true }))])
      if (signal.aborted) return { code: null }
      onLine(`/home/u/.cache/huggingface/hub/models--${repo.replace('/', '--')}/snapshots/abc`, false)
      return { code: 0 }
    },
  }
}

async function setup(opts: { loaded?: string[] | 'down' | (() => Promise<string[]>); swap?: SwapGlance | null; dataDir?: string; slowScanMs?: number } = {}) {
  const store = await openSwapStore(opts.dataDir ? { dataDir: opts.dataDir } : { path: ':memory:' })
  stores.push(store)
  const coordination = createCoordination({ store })
  const config = loadSwapControllerConfig({ SPARK1_HOST: '192.0.2.10', SPARK1_USER: 'owner', SPARK2_HOST: '192.0.2.11', SPARK2_USER: 'owner' })
  const inventory = buildInventory(config)
  const disk = new FakeDisk()
  if (opts.slowScanMs) {
    const view = disk.view
    disk.scan = () => new Promise((r) => setTimeout(() => r(view), opts.slowScanMs))
  }
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
  const downloads = createDownloads({ runner, nodes: () => ['spark-1', 'spark-2'], audit: (e) => coordination.recordAudit(e), timeoutMs: 10_000 })
  const models = createModelService({
    recipes,
    disk,
    custom: store.customModels,
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
    const init: RequestInit = { method, headers: { 'x-spark-actor': 'tester', ...(body === undefined ? {} : { 'content-type': 'application/json' }) } }
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body)
    const res = await app.request(path, init)
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.json() }
  }
  const audit = () => coordination.history(50)
  return { send, disk, runner, downloads, audit, store, holds }
}

describe('POST /api/models', () => {
  it('stores a valid card (audited) and lists it in the menu as needs_setup', async () => {
    const { send, audit } = await setup()
    const res = await send('POST', '/api/models', { repo: 'me/my-finetune', name: 'My finetune', max_model_len: 8192 })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ key: 'me--my-finetune', repo: 'me/my-finetune', local_path: null, created_by: 'tester' })
    const menu = (await send('GET', '/api/models')).body
    expect(menu.models.find((m: { key: string }) => m.key === 'me--my-finetune')).toMatchObject({ needs_setup: true, custom: true, on_disk: false, recipe: null })
    expect(audit()[0]).toMatchObject({ actor: 'tester', action: 'model.add', target: 'me--my-finetune', outcome: 'ok' })
  })

  it('rejects invalid and hostile entries with {"detail": [...]} naming the field, storing nothing', async () => {
    const { send, store } = await setup()
    for (const body of [
      {},
      { repo: 'a/b', local_path: '/data/x' },
      { repo: 'org/x;reboot' },
      { repo: 'org/$(id)' },
      { repo: 'org/`id`' },
      { repo: 'org/a\nb' },
      { repo: '../etc/passwd' },
      { local_path: '/data/../etc' },
      { local_path: 'relative' },
      { repo: 'org/x;reboot', vllm_args: '--trust-remote-code' },
      { repo: 'a/b', name: 'x"; rm -rf /', tensor_parallel_size: 2 },
    ]) {
      const res = await send('POST', '/api/models', body)
      expect(res.status, JSON.stringify(body)).toBe(422)
      expect(Array.isArray(res.body.detail)).toBe(true)
    }
    expect((await send('POST', '/api/models', '{not json')).status).toBe(400)
    expect(store.customModels.count()).toBe(0)
  })

  it('accepts an earlier full ModelDef: known fields validated and stored, the rest ignored and listed', async () => {
    const { send, store, audit } = await setup()
    const modelDef = {
      repo: 'me/legacy-model',
      name: 'Legacy model',
      served_model_name: 'legacy',
      max_model_len: 32768,
      vllm_args: ['--trust-remote-code', '--enable-auto-tool-choice'],
      gpu_memory_utilization: 0.85,
      tensor_parallel_size: 2,
      chat_template: '/data/templates/x.jinja',
    }
    const res = await send('POST', '/api/models', modelDef)
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      key: 'me--legacy-model',
      served_model_name: 'legacy',
      max_model_len: 32768,
      ignored_fields: ['vllm_args', 'gpu_memory_utilization', 'tensor_parallel_size', 'chat_template'],
      ignored_note: expect.stringMatching(/ignored .*recipes/),
    })
    const stored = store.customModels.get('me--legacy-model')!
    expect(Object.keys(stored)).not.toContain('vllm_args')
    expect(JSON.stringify(stored)).not.toContain('trust-remote-code')
    expect(audit()[0]).toMatchObject({ action: 'model.add', outcome: 'ok', detail: expect.stringContaining('ignored fields: vllm_args') })
    const plain = await send('POST', '/api/models', { repo: 'me/plain' })
    expect(plain.body).toMatchObject({ ignored_fields: [], ignored_note: null })
  })

  it('refuses duplicates and recipe keys with 409, and the card survives a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'models-route-'))
    dirs.push(dataDir)
    const first = await setup({ dataDir })
    expect((await first.send('POST', '/api/models', { local_path: '/data/models/ft-1' })).status).toBe(201)
    const dup = await first.send('POST', '/api/models', { local_path: '/data/models/ft-1', key: 'other' })
    expect(dup.status).toBe(409)
    expect(typeof dup.body.detail).toBe('string')
    expect((await first.send('POST', '/api/models', { repo: 'a/b', key: 'qwen3-coder-30b' })).status).toBe(409)
    stores.splice(0).forEach((s) => s.close())
    const again = await setup({ dataDir })
    expect(again.store.customModels.list().map((c) => c.key)).toEqual(['ft-1'])
  })
})

describe('GET /api/models with disk discovery', () => {
  it('marks recipes on disk and lists unmatched on-disk models as needs_setup with inferred settings', async () => {
    const { send } = await setup({ loaded: ['Qwen/Qwen3-Coder-30B-A3B-Instruct-FP8'] })
    const { body, status } = await send('GET', '/api/models')
    expect(status).toBe(200)
    const byKey = Object.fromEntries(body.models.map((m: { key: string }) => [m.key, m]))
    expect(byKey['qwen3-coder-30b']).toMatchObject({ needs_setup: false, on_disk: true, on_nodes: ['spark-1', 'spark-2'] })
    expect(byKey['gpt-oss-120b']).toMatchObject({ needs_setup: false, on_disk: false })
    expect(byKey['Qwen--Qwen3-4B-Instruct-2507']).toMatchObject({
      needs_setup: true,
      recipe: null,
      repo: 'Qwen/Qwen3-4B-Instruct-2507',
      local_path: null,
      settings: { architecture: 'Qwen3ForCausalLM', max_model_len: 262144, dtype: 'bfloat16', weights_bytes: 8e9 },
    })
    expect(body.notes).toEqual([])
  })
})

describe('DELETE /api/models/{key}', () => {
  it('refuses the loaded model, one in a running swap, or one downloading, with 409 (audited)', async () => {
    const loaded = await setup({ loaded: [QWEN] })
    const r1 = await loaded.send('DELETE', '/api/models/qwen3-coder-30b')
    expect(r1.status).toBe(409)
    expect(r1.body.detail).toMatch(/loaded right now/)
    expect(loaded.disk.removed).toEqual([])
    expect(loaded.audit()[0]).toMatchObject({ action: 'model.delete', outcome: 'refused' })
    const swap = { running: true, recipe: 'gpt-oss-120b', model: 'gpt-oss-120b', from_model: null, outcome: 'running' }
    const swapping = await setup({ swap })
    expect((await swapping.send('DELETE', '/api/models/gpt-oss-120b')).body.detail).toMatch(/swap under way/)
    const dl = await setup()
    expect((await dl.send('POST', '/api/models/download', { repo: 'Qwen/Qwen3-4B-Instruct-2507' })).status).toBe(202)
    const r3 = await dl.send('DELETE', '/api/models/Qwen--Qwen3-4B-Instruct-2507')
    expect(r3.status).toBe(409)
    expect(r3.body.detail).toMatch(/being downloaded/)
    dl.runner.release()
    await dl.downloads.idle()
  })

  it('refuses while vLLM does not answer and the model was the last one loaded', async () => {
    const swap = { running: false, recipe: 'gpt-oss-120b', model: 'gpt-oss-120b', from_model: null, outcome: 'ready' }
    const { send, disk } = await setup({ loaded: 'down', swap })
    const res = await send('DELETE', '/api/models/gpt-oss-120b')
    expect(res.status).toBe(409)
    expect(res.body.detail).toMatch(/did not answer/)
    expect((await send('DELETE', '/api/models/qwen3-coder-30b')).status).toBe(200)
    expect(disk.removed).toEqual([QWEN])
  })

  it('holds swaps from the in-use check until the weights are gone, and releases them whatever happens', async () => {
    const { send, disk, holds } = await setup()
    const seen: string[][] = []
    const remove = disk.remove.bind(disk)
    disk.remove = async (repo) => {
      seen.push([...holds])
      return remove(repo)
    }
    expect((await send('DELETE', '/api/models/gpt-oss-120b')).status).toBe(200)
    expect(seen).toEqual([['the weights of openai/gpt-oss-120b are being deleted']])
    expect(holds).toEqual([])
    const refused = await setup({ loaded: ['gpt-oss-120b'] })
    expect((await refused.send('DELETE', '/api/models/gpt-oss-120b')).status).toBe(409)
    expect(refused.holds).toEqual([])
  })

  it('refuses a download of the repo (409) from the in-use check until the rm ends, whatever its outcome', async () => {
    const { send, disk, runner, downloads } = await setup()
    const repo = 'Qwen/Qwen3-4B-Instruct-2507'
    let finishRm = () => {}
    let rmStarted = () => {}
    const inRm = new Promise<void>((r) => (rmStarted = r))
    const remove = disk.remove.bind(disk)
    disk.remove = async (r) => {
      rmStarted()
      await new Promise<void>((res) => (finishRm = res))
      return remove(r)
    }
    const del = send('DELETE', '/api/models/Qwen--Qwen3-4B-Instruct-2507')
    await inRm
    const during = await send('POST', '/api/models/download', { repo: 'qwen/qwen3-4b-instruct-2507' })
    expect(during.status).toBe(409)
    expect(during.body.detail).toMatch(/being deleted/)
    expect(downloads.list()).toEqual([])
    finishRm()
    expect((await del).status).toBe(200)
    expect((await send('POST', '/api/models/download', { repo })).status).toBe(202)
    runner.release()
    await downloads.idle()
    // A failed rm releases the repo too.
    disk.remove = remove
    disk.failOn = 'spark-1'
    expect((await send('DELETE', '/api/models/gpt-oss-120b')).status).toBe(502)
    expect((await send('POST', '/api/models/download', { repo: 'openai/gpt-oss-120b' })).status).toBe(202)
    runner.release()
    await downloads.idle()
  })

  it('refuses a download started while the delete checks vLLM, before the rm', async () => {
    let asked = () => {}
    const checking = new Promise<void>((r) => (asked = r))
    let answer = (_: string[]) => {}
    const loaded = () => {
      asked()
      return new Promise<string[]>((r) => (answer = r))
    }
    const { send, disk, downloads } = await setup({ loaded })
    const del = send('DELETE', '/api/models/gpt-oss-120b')
    await checking
    expect((await send('POST', '/api/models/download', { repo: 'openai/gpt-oss-120b' })).status).toBe(409)
    answer([])
    expect((await del).status).toBe(200)
    expect(disk.removed).toEqual(['openai/gpt-oss-120b'])
    expect(downloads.list()).toEqual([])
  })

  it('removes the weights on every node and the card; keeps the recipe file', async () => {
    const { send, disk, store, audit } = await setup()
    await send('POST', '/api/models', { repo: 'Qwen/Qwen3-4B-Instruct-2507' })
    const res = await send('DELETE', '/api/models/Qwen--Qwen3-4B-Instruct-2507')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ repo: 'Qwen/Qwen3-4B-Instruct-2507', weights_removed: true, card_removed: true, recipe_kept: null })
    expect(disk.removed).toEqual(['Qwen/Qwen3-4B-Instruct-2507'])
    expect(store.customModels.count()).toBe(0)
    expect(audit()[0]).toMatchObject({ action: 'model.delete', outcome: 'ok', actor: 'tester' })
    const recipe = await send('DELETE', '/api/models/gpt-oss-120b')
    expect(recipe.body).toMatchObject({ repo: 'openai/gpt-oss-120b', recipe_kept: 'gpt-oss-120b', card_removed: false })
  })

  it('502 with per-node results when a node fails (card kept); 404 unknown; 422 hostile key', async () => {
    const { send, disk, store } = await setup()
    await send('POST', '/api/models', { repo: 'me/x' })
    disk.failOn = 'spark-2'
    const res = await send('DELETE', '/api/models/me--x')
    expect(res.status).toBe(502)
    expect(res.body.detail).toMatch(/spark-2 \(connection lost\)/)
    expect(res.body.nodes).toHaveLength(2)
    expect(store.customModels.count()).toBe(1)
    expect((await send('DELETE', '/api/models/no-such-model')).status).toBe(404)
    for (const key of ['x;reboot', '$(id)', '`id`', '-rf', 'a\nb', '.hidden', 'a b']) {
      expect((await send('DELETE', `/api/models/${encodeURIComponent(key)}`)).status, key).toBe(422)
    }
    expect(disk.removed).toEqual(['me/x'])
  })
})

describe('menu without a timely disk scan', () => {
  it('answers within the budget with on_disk null and a note, and publishes the routes', async () => {
    const { send } = await setup({ slowScanMs: 1000 })
    const started = Date.now()
    const { body } = await send('GET', '/api/models')
    expect(Date.now() - started).toBeLessThan(900)
    expect(body.models.find((m: { key: string }) => m.key === 'qwen3-coder-30b').on_disk).toBeNull()
    expect(body.notes[0]).toMatch(/did not answer within 100 ms/)
    const doc = (await send('GET', '/openapi.json')).body
    for (const path of ['/api/models', '/api/models/{key}', '/api/models/suggest', '/api/models/download', '/api/models/downloads/{id}'])
      expect(Object.keys(doc.paths)).toContain(path)
    expect(doc.components.schemas.CustomModelRequest).toBeDefined()
  })
})

describe('GET /api/models/suggest', () => {
  it('filters by q, bounded by limit', async () => {
    const { send } = await setup()
    const res = await send('GET', '/api/models/suggest?q=gpt-oss&limit=5')
    expect(res.status).toBe(200)
    expect(res.body.suggestions.length).toBeGreaterThan(0)
    expect(res.body.suggestions.every((s: { repo: string }) => s.repo.includes('gpt-oss'))).toBe(true)
    expect((await send('GET', '/api/models/suggest?limit=500')).status).toBe(422)
  })
})

describe('downloads', () => {
  it('starts (202), shows progress, refuses the same repo twice, completes, and cancels', async () => {
    const { send, runner, downloads, audit } = await setup()
    const started = await send('POST', '/api/models/download', { repo: 'microsoft/Phi-4-mini-instruct' })
    expect(started.status).toBe(202)
    const id = started.body.download_id
    expect(id).toMatch(/^dl_[a-f0-9]{12}$/)
    const running = (await send('GET', `/api/models/downloads/${id}`)).body
    expect(running).toMatchObject({ status: 'running', nodes: [{ node: 'spark-1', files_total: 2 }, { node: 'spark-2' }] })
    expect(running.percent).toBeGreaterThan(0)
    expect((await send('POST', '/api/models/download', { repo: 'microsoft/phi-4-mini-instruct' })).status).toBe(409)
    runner.release()
    await downloads.idle()
    expect((await send('GET', `/api/models/downloads/${id}`)).body).toMatchObject({ status: 'done', percent: 100 })
    expect((await send('GET', '/api/models/downloads')).body.downloads[0].download_id).toBe(id)
    expect(audit().filter((a) => a.action === 'model.download').map((a) => a.outcome)).toEqual(['ok', 'refused', 'started'])
    expect((await send('GET', '/api/models/downloads/dl_000000000000')).status).toBe(404)
  })

  it('rejects hostile repos and unknown nodes with 422, and cancels', async () => {
    const { send, downloads } = await setup()
    for (const repo of ['org/x;reboot', 'org/$(id)', '../x/y', 'org/a\nb'])
      expect((await send('POST', '/api/models/download', { repo })).status, repo).toBe(422)
    expect((await send('POST', '/api/models/download', { repo: 'a/b', nodes: ['spark-9'] })).status).toBe(422)
    const id = (await send('POST', '/api/models/download', { repo: 'a/b' })).body.download_id
    expect((await send('DELETE', `/api/models/downloads/${id}`)).status).toBe(200)
    await downloads.idle()
    expect((await send('GET', `/api/models/downloads/${id}`)).body.status).toBe('cancelled')
  })
})
