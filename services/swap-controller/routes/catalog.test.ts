import { copyFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../../shared/errors.ts'
import { silentLogger } from '../../../shared/logger.ts'
import { createRecipeDir } from '../adapters/recipe-dir.ts'
import { createVllmClient } from '../adapters/vllm-client.ts'
import { buildApp } from '../app.ts'
import { loadSwapControllerConfig } from '../config.ts'
import type { LoadHistory, LoadRecord, RecipeCatalog } from '../domain/catalog/types.ts'
import { buildInventory } from '../domain/inventory.ts'
import { FakeSshNode, FakeSshNodes, type FakeVllm, healthySpark, startFakeVllm } from '../testing/fakes.ts'

const SHIPPED = new URL('../../../recipes/', import.meta.url).pathname
const FIXTURES = new URL('../domain/catalog/fixtures/', import.meta.url).pathname
const QWEN = 'Qwen/Qwen3-Coder-30B-A3B-Instruct-FP8'

let vllm: FakeVllm
let dir: string

beforeAll(async () => {
  vllm = await startFakeVllm([QWEN])
  dir = await mkdtemp(join(tmpdir(), 'catalog-route-'))
  for (const f of ['qwen3-coder-30b.yaml', 'gpt-oss-120b.yaml', 'glm-4.5-air.yaml'])
    await copyFile(join(SHIPPED, f), join(dir, f))
  await copyFile(join(FIXTURES, 'hostile-container.yaml'), join(dir, 'hostile-container.yaml'))
})
afterAll(async () => {
  await vllm.close()
  await rm(dir, { recursive: true, force: true })
})

const LOAD: LoadRecord = {
  started_at: '2026-05-01T09:30:00.000Z',
  outcome: 'ready',
  total_s: 118.4,
  phases: { weights: 41.5, compile: 62 },
}

class FakeHistory implements LoadHistory {
  readonly calls: Array<[string, number]> = []
  failure: Error | null = null
  async recentLoads(key: string, limit: number) {
    this.calls.push([key, limit])
    if (this.failure) throw this.failure
    return key === 'qwen3-coder-30b' ? [LOAD] : []
  }
}

function setup(options: { recipes?: RecipeCatalog; history?: LoadHistory; vllmPort?: string } = {}) {
  const url = new URL(vllm.baseUrl)
  const config = loadSwapControllerConfig({
    SPARK1_HOST: '192.0.2.10',
    SPARK1_USER: 'owner',
    VLLM_HOST: url.hostname,
    VLLM_PORT: options.vllmPort ?? url.port,
    SIMULATED_CLUSTER: 'true',
  })
  const inventory = buildInventory(config)
  const ssh = new FakeSshNodes().add(new FakeSshNode('spark-1', healthySpark))
  const client = createVllmClient({ baseUrl: inventory.vllm.baseUrl, timeoutMs: 1000 })
  const history = options.history ?? new FakeHistory()
  const recipes = options.recipes ?? createRecipeDir({ dir, recheckMs: 0 })
  return buildApp({
    config,
    inventory,
    ssh,
    vllm: client,
    logger: silentLogger(),
    readinessCacheMs: 0,
    catalog: { recipes, history },
  })
}

const get = async (app: ReturnType<typeof setup>, path: string) => {
  const res = await app.request(path)
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    retryAfter: res.headers.get('retry-after'),
    body: await res.json(),
  }
}

describe('GET /api/swap/models', () => {
  it('lists every recipe with where it runs, memory need, loaded flag and past loads', async () => {
    const history = new FakeHistory()
    const { status, body } = await get(setup({ history }), '/api/swap/models')
    expect(status).toBe(200)
    expect(body).toMatchObject({ simulated: true, directory: dir, loaded_models: [QWEN], notes: [] })
    const byKey = Object.fromEntries(body.models.map((m: { key: string }) => [m.key, m]))
    expect(Object.keys(byKey)).toEqual([
      'glm-4.5-air',
      'gpt-oss-120b',
      'hostile-container',
      'qwen3-coder-30b',
    ])
    expect(byKey['qwen3-coder-30b']).toMatchObject({
      valid: true,
      reasons: [],
      name: 'Qwen3-Coder-30B-A3B-FP8',
      model: QWEN,
      served_model_name: QWEN,
      modes: ['solo'],
      nodes_needed: 1,
      port: 8888,
      on_demand: true,
      min_residency_s: 600,
      loaded: true,
      history: [LOAD],
    })
    expect(byKey['qwen3-coder-30b'].memory_need_bytes).toBeGreaterThan(80 * 1024 ** 3)
    expect(byKey['glm-4.5-air']).toMatchObject({
      modes: ['cluster'],
      nodes_needed: 2,
      served_model_name: 'glm-4.5-air',
      loaded: false,
      history: [],
    })
    expect(byKey['gpt-oss-120b']).toMatchObject({
      modes: ['solo', 'cluster'],
      default_mode: 'solo',
      nodes_needed: 1,
    })
    expect(history.calls).toEqual(expect.arrayContaining([['qwen3-coder-30b', 5]]))
  })

  it('lists an invalid recipe with its reasons and no launch facts', async () => {
    const { body } = await get(setup(), '/api/swap/models')
    const bad = body.models.find((m: { key: string }) => m.key === 'hostile-container')
    expect(bad).toMatchObject({
      valid: false,
      name: 'Hostile Container',
      model: null,
      modes: [],
      memory_need_bytes: null,
      loaded: false,
    })
    expect(bad.reasons).toEqual([expect.stringMatching(/^container: must be a Docker image/)])
  })

  it('passes the history limit, and asks nothing for history=0', async () => {
    const history = new FakeHistory()
    await get(setup({ history }), '/api/swap/models?history=2')
    expect(history.calls.every(([, limit]) => limit === 2)).toBe(true)
    expect(history.calls.map(([key]) => key)).not.toContain('hostile-container')
    const none = new FakeHistory()
    await get(setup({ history: none }), '/api/swap/models?history=0')
    expect(none.calls).toEqual([])
  })

  it('still answers when vLLM is down or the history fails, and says so in notes', async () => {
    const history = new FakeHistory()
    history.failure = new Error('database is locked')
    const { status, body } = await get(setup({ history, vllmPort: '1' }), '/api/swap/models')
    expect(status).toBe(200)
    expect(body.loaded_models).toBeNull()
    expect(
      body.models.every((m: { loaded: boolean; history: unknown[] }) => !m.loaded && m.history.length === 0),
    ).toBe(true)
    expect(body.notes).toEqual([
      expect.stringContaining('vLLM did not say what it serves'),
      'load history is unavailable (database is locked); history is empty',
    ])
  })

  it('answers problem+json 422 for a bad history value and 503 when the directory is unreadable', async () => {
    for (const bad of ['abc', '99', '-1', '1.5']) {
      const r = await get(setup(), `/api/swap/models?history=${bad}`)
      expect(r.status).toBe(422)
      expect(r.type).toBe('application/problem+json')
      expect(r.body.errors[0].field).toBe('history')
    }
    const r = await get(
      setup({ recipes: createRecipeDir({ dir: join(dir, 'nope'), recheckMs: 0 }) }),
      '/api/swap/models',
    )
    expect(r).toMatchObject({ status: 503, type: 'application/problem+json', retryAfter: '30' })
    expect(r.body).toMatchObject({ type: 'urn:spark-control:error:catalog_unavailable', status: 503 })
    expect(r.body.detail).toContain('RECIPES_DIR')
  })
})

describe('GET /api/models (earlier API)', () => {
  it('answers the menu of launchable models plus every recipe, invalid ones with reasons', async () => {
    const { status, body } = await get(setup(), '/api/models')
    expect(status).toBe(200)
    expect(body.loaded_model).toBe(QWEN)
    expect(body.models.map((m: { key: string }) => m.key)).toEqual([
      'glm-4.5-air',
      'gpt-oss-120b',
      'qwen3-coder-30b',
    ])
    expect(body.models[2]).toEqual({
      key: 'qwen3-coder-30b',
      name: 'Qwen3-Coder-30B-A3B-FP8',
      repo: QWEN,
      local_path: null,
      served_model_name: QWEN,
      recipe: 'qwen3-coder-30b',
      needs_setup: false,
      on_disk: null,
      on_nodes: null,
      size_bytes: null,
      loaded: true,
      solo_only: true,
      cluster_only: false,
      memory_need_bytes: expect.any(Number),
      custom: false,
      card_file: null,
      settings: null,
    })
    expect(body.recipes).toHaveLength(4)
    expect(body.recipes[2]).toMatchObject({
      key: 'hostile-container',
      valid: false,
      repo: null,
      reasons: [expect.stringContaining('container:')],
    })
  })

  it('keeps the earlier error style: {"detail": "..."} with Retry-After', async () => {
    const failing: RecipeCatalog = {
      snapshot: async () => {
        throw new AppError(
          503,
          'catalog_unavailable',
          'The recipe directory /x cannot be read (EACCES); check RECIPES_DIR.',
          { retryAfterS: 30 },
        )
      },
    }
    const r = await get(setup({ recipes: failing }), '/api/models')
    expect(r).toMatchObject({ status: 503, type: 'application/json', retryAfter: '30' })
    expect(r.body).toEqual({ detail: 'The recipe directory /x cannot be read (EACCES); check RECIPES_DIR.' })
  })
})

describe('OpenAPI', () => {
  it('publishes both catalog routes', async () => {
    const doc = (await get(setup(), '/openapi.json')).body
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/swap/models', '/api/models']))
    expect(doc.components.schemas.SwapModel.properties.memory_need_bytes).toBeDefined()
  })
})
