/**
 * Model management on the simulated cluster, through the gateway: the menu with on-disk discovery
 * (a model without a recipe shows as needs_setup with settings from its config.json), suggestions,
 * a download to both Sparks with progress, a download that breaks off on one node, the 409 guard
 * on the loaded model, and a delete that removes exactly one cache directory on every node.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { describe, expect, it } from 'vitest'
import type {
  AuditEntry,
  DownloadView,
  MenuModel,
  Suggestion,
} from '../../shared/contracts/swap-controller.ts'
import { SIM_DOWNLOADABLE_MODEL, SIM_UNRECIPED_MODEL } from '../../tools/spark-sim/cluster/index.ts'
import { SIM_DEFAULT_RECIPE } from '../../tools/spark-sim/recipes.ts'
import { REPO_ROOT } from '../../tools/stack/launch.ts'
import { eventually, useDemo } from '../support/demo.ts'

// The earlier version's catalog file, as an installation upgrading from it would still set.
const earlierYaml = `${REPO_ROOT}.data/test-models-yaml-${process.pid}.yaml`
mkdirSync(dirname(earlierYaml), { recursive: true })
writeFileSync(
  earlierYaml,
  'earlier-coder:\n  repo: org/earlier-coder\n  served_model_name: earlier-coder\n  tensor_parallel_size: 2\n' +
    'broken:\n  repo: "org/$(id)"\n' +
    `${SIM_DEFAULT_RECIPE}:\n  repo: org/shadowed\n`,
)
const fixture = useDemo({ name: 'models', loadTimeMs: 600, env: { MODELS_YAML: earlierYaml } })
/** The answer of `path`, read as `T` (the route's contract; a `{detail}` body on refusals). */
async function send<T = { detail?: string }>(method: string, path: string, body?: unknown) {
  const init: RequestInit = { method, headers: { 'x-spark-actor': 'system-test' } }
  if (body !== undefined) {
    init.body = JSON.stringify(body)
    ;(init.headers as Record<string, string>)['content-type'] = 'application/json'
  }
  const res = await fetch(fixture.url(path), init)
  return { status: res.status, body: (await res.json()) as T }
}
const sim = () => fixture.demo().sim.nodes
type Menu = { models: MenuModel[]; notes: string[] }
const menu = async () => (await send<Menu>('GET', '/api/models')).body.models
const byRepo = (models: MenuModel[], repo: string) => models.find((m) => m.repo === repo)
const mutations = (from: number[]) =>
  sim()
    .nodes.flatMap((n, i) => n.commandLog.slice(from[i]).map((c) => c.line))
    .filter((l) => /'(rm|hf)'/.test(l))
const marks = () => sim().nodes.map((n) => n.commandLog.length)

async function download(repo: string) {
  const started = await send<DownloadView>('POST', '/api/models/download', { repo })
  expect(started.status).toBe(202)
  const seen: number[] = []
  const done = await eventually(
    async () => {
      const v = (await send<DownloadView>('GET', `/api/models/downloads/${started.body.download_id}`)).body
      seen.push(v.percent)
      return v
    },
    (v) => v.status !== 'running',
    20_000,
  )
  return { done, seen }
}

// Each test says where the downloadable model must be before it starts, so any one passes alone.
const PHI_KEY = 'microsoft--Phi-4-mini-instruct'
const phiOn = () => sim().nodes.filter((n) => n.cachedModels().includes(SIM_DOWNLOADABLE_MODEL))
async function givenPhiNowhere() {
  if (phiOn().length > 0) expect((await send('DELETE', `/api/models/${PHI_KEY}`)).status).toBe(200)
}
async function givenPhiEverywhere() {
  if (phiOn().length < sim().nodes.length)
    expect((await download(SIM_DOWNLOADABLE_MODEL)).done.status).toBe('done')
}

describe('model management on the simulated cluster', () => {
  it('lists recipes on disk on both nodes and an on-disk model without a recipe as needs_setup', async () => {
    await givenPhiNowhere()
    const models = await menu()
    const recipeEntry = models.find((m) => m.key === SIM_DEFAULT_RECIPE)!
    expect(recipeEntry).toMatchObject({
      needs_setup: false,
      on_disk: true,
      on_nodes: ['spark-1', 'spark-2'],
      loaded: true,
    })
    expect(byRepo(models, SIM_UNRECIPED_MODEL)).toMatchObject({
      key: 'Qwen--Qwen3-4B-Instruct-2507',
      needs_setup: true,
      recipe: null,
      on_disk: true,
      on_nodes: ['spark-1', 'spark-2'],
      settings: {
        architecture: 'Qwen3ForCausalLM',
        model_type: 'qwen3',
        max_model_len: 262144,
        dtype: 'bfloat16',
        quantization: null,
      },
    })
    expect(byRepo(models, SIM_UNRECIPED_MODEL)!.settings!.weights_gib).toBeCloseTo(7.5, 0)
    expect(byRepo(models, SIM_DOWNLOADABLE_MODEL)).toBeUndefined()
  })

  it('lists the models of the earlier MODELS_YAML as cards that need a recipe, and says what it skipped', async () => {
    expect(byRepo(await menu(), 'org/earlier-coder')).toMatchObject({
      key: 'earlier-coder',
      needs_setup: true,
      recipe: null,
      card_file: 'MODELS_YAML',
    })
    const { notes } = (await send<Menu>('GET', '/api/models')).body
    expect(notes).toContainEqual(expect.stringMatching(/^MODELS_YAML: broken skipped — repo: /))
    expect(notes).toContain(
      `MODELS_YAML: ${SIM_DEFAULT_RECIPE} is also a recipe key; the recipe is listed, not the card`,
    )
  })

  it('suggests known-good models for the download box', async () => {
    const res = await send<{ suggestions: Suggestion[] }>('GET', '/api/models/suggest?q=phi')
    expect(res.status).toBe(200)
    expect(res.body.suggestions).toContainEqual(
      expect.objectContaining({ repo: SIM_DOWNLOADABLE_MODEL, source: 'known', on_disk: false }),
    )
  })

  it('downloads a model to both Sparks with rising progress; it then shows as needs_setup', async () => {
    await givenPhiNowhere()
    const { done, seen } = await download(SIM_DOWNLOADABLE_MODEL)
    expect(done).toMatchObject({ status: 'done', percent: 100, error: null })
    expect(seen.some((p) => p > 0 && p < 100)).toBe(true)
    for (const n of done.nodes)
      expect(n.snapshot_path).toContain('/hub/models--microsoft--Phi-4-mini-instruct/snapshots/')
    for (const n of sim().nodes) expect(n.cachedModels()).toContain(SIM_DOWNLOADABLE_MODEL)
    const entry = await eventually(menu, (m) => byRepo(m, SIM_DOWNLOADABLE_MODEL) !== undefined)
    expect(byRepo(entry, SIM_DOWNLOADABLE_MODEL)).toMatchObject({
      needs_setup: true,
      on_nodes: ['spark-1', 'spark-2'],
      settings: { architecture: 'Phi3ForCausalLM' },
    })
  })

  it('refuses to delete the loaded model (409) and runs nothing', async () => {
    const from = marks()
    const res = await send('DELETE', `/api/models/${SIM_DEFAULT_RECIPE}`)
    expect(res.status).toBe(409)
    expect(res.body.detail).toMatch(/loaded right now/)
    expect(mutations(from)).toEqual([])
    for (const n of sim().nodes) expect(n.cachedModels()).toContain('Qwen/Qwen3-Coder-30B-A3B-Instruct-FP8')
  })

  it('deletes a model: exactly its cache directory on every node, audited', async () => {
    await givenPhiEverywhere()
    const from = marks()
    const res = await send('DELETE', `/api/models/${PHI_KEY}`)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      weights_removed: true,
      nodes: [
        { node: 'spark-1', ok: true },
        { node: 'spark-2', ok: true },
      ],
    })
    for (const n of sim().nodes) expect(n.cachedModels()).not.toContain(SIM_DOWNLOADABLE_MODEL)
    const rm = mutations(from)
    expect(rm).toHaveLength(2)
    for (const l of rm)
      expect(l).toMatch(
        /'rm' '-rf' '--' '\/home\/sim\/\.cache\/huggingface\/hub\/models--microsoft--Phi-4-mini-instruct'$/,
      )
    expect(byRepo(await menu(), SIM_DOWNLOADABLE_MODEL)).toBeUndefined()
    const history = (await send<{ entries: AuditEntry[] }>('GET', '/api/swap/history?limit=20')).body.entries
    expect(history.find((e) => e.action === 'model.delete')).toMatchObject({
      actor: 'system-test',
      outcome: 'ok',
      target: SIM_DOWNLOADABLE_MODEL,
    })
    expect(history.some((e) => e.action === 'model.download' && e.outcome === 'ok')).toBe(true)
  })

  it('reports a download that breaks off on one node, and refuses hostile input before any command', async () => {
    await givenPhiNowhere()
    sim().node('spark-2').setDownloadFailure('network')
    try {
      const { done } = await download(SIM_DOWNLOADABLE_MODEL)
      expect(done.status).toBe('failed')
      expect(done.error).toMatch(/^spark-2: /)
      expect(done.nodes.map((n) => n.status)).toEqual(['done', 'failed'])
    } finally {
      sim().node('spark-2').setDownloadFailure(null)
    }
    const from = marks()
    for (const repo of ['org/x;reboot', 'org/$(id)', 'org/`id`', 'org/a\nb', '../../etc/passwd']) {
      expect((await send('POST', '/api/models/download', { repo })).status, repo).toBe(422)
      expect((await send('POST', '/api/models', { repo })).status, repo).toBe(422)
    }
    expect((await send('POST', '/api/models', { local_path: '/data/../etc' })).status).toBe(422)
    expect(mutations(from)).toEqual([])
    // Leave the caches as they were for anything that runs after.
    expect((await send('DELETE', `/api/models/${PHI_KEY}`)).status).toBe(200)
  })
})
