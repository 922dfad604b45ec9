import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { parseRecipe } from '../catalog/recipe.ts'
import type { Recipe } from '../catalog/types.ts'
import { planSwap } from './plan.ts'
import {
  judgePreflight,
  type PreflightPlan,
  type PreflightResults,
  type ProbeOutcome,
  planPreflight,
} from './preflight.ts'

function recipe(extra: Record<string, unknown> = {}): Recipe {
  const entry = parseRecipe(
    stringify({
      recipe_version: '1',
      name: 'Test',
      model: 'org/test-model',
      container: 'vllm-node',
      command: 'vllm serve org/test-model --served-model-name test\n',
      spark_control: { weights_gib: 20 },
      ...extra,
    }),
    { file: 'test-model.yaml' },
  )
  if (!entry.valid) throw new Error(entry.reasons.join('; '))
  return entry
}
const nodes = [
  { name: 'spark-1', user: 'u', dockerDir: '/home/u/spark-vllm-docker', role: 'head' },
  { name: 'spark-2', user: 'u', dockerDir: '/home/u/spark-vllm-docker', role: 'worker' },
]
const base = { nodes, vllmPort: 8888, container: 'vllm_node', stopGraceS: 10 }

function preflightOf(mode: 'solo' | 'cluster', cacheDir: string | null = '~/.cache/huggingface') {
  const r = recipe(mode === 'cluster' ? { cluster_only: true } : { solo_only: true })
  return planPreflight({ plan: planSwap({ ...base, recipe: r, mode }), recipe: r, nodes, cacheDir })
}

const RECIPE_PATH = '/home/u/spark-vllm-docker/recipes/test-model.yaml'
const LOCAL = 'name: Test\n'
const answer = (stdout = '', code = 0, stderr = ''): ProbeOutcome => ({ ran: true, code, stdout, stderr })
const noAnswer = (reason = 'connect ECONNREFUSED'): ProbeOutcome => ({
  ran: false,
  unreachable: true,
  reason,
})

/** Every probe of `pp` answered well: the head's recipe equals LOCAL, images and weights present. */
function allGood(pp: PreflightPlan): PreflightResults {
  return {
    reach: Object.fromEntries(pp.reach.map((s) => [s.node, answer()])),
    recipe: answer(LOCAL),
    images: Object.fromEntries(pp.images.map((s) => [s.node, answer('sha256:abc\n')])),
    weights: Object.fromEntries(pp.weights.map((s) => [s.node, answer()])),
  }
}
const judge = (pp: PreflightPlan, results: PreflightResults, policy: 'copy' | 'refuse' = 'copy') =>
  judgePreflight(pp, results, { localRecipe: LOCAL, policy })

describe('planPreflight', () => {
  it('a solo model needs the head only, but every node is probed for reach', () => {
    const pp = preflightOf('solo')
    expect(pp.needs).toEqual(['spark-1'])
    expect(pp.reach.map((s) => `${s.node} ${s.argv.join(' ')}`)).toEqual(['spark-1 true', 'spark-2 true'])
    expect(pp.images.map((s) => s.node)).toEqual(['spark-1'])
    expect(pp.weights.map((s) => s.node)).toEqual(['spark-1'])
  })

  it('a cluster model needs both nodes, head first: image and weights are checked on each', () => {
    const pp = preflightOf('cluster')
    expect(pp.needs).toEqual(['spark-1', 'spark-2'])
    expect(pp.images.map((s) => s.node)).toEqual(['spark-1', 'spark-2'])
    expect(pp.weights.map((s) => s.node)).toEqual(['spark-1', 'spark-2'])
  })

  it('runs the exact argv of each step, with the head recipe path under the docker dir', () => {
    const pp = preflightOf('solo')
    expect(pp.recipe).toMatchObject({ node: 'spark-1', path: RECIPE_PATH, argv: ['cat', '--', RECIPE_PATH] })
    expect(pp.write).toMatchObject({ node: 'spark-1', path: RECIPE_PATH, argv: ['tee', '--', RECIPE_PATH] })
    expect(pp.images[0]!.argv).toEqual(['docker', 'image', 'inspect', '--format', '{{.Id}}', 'vllm-node'])
    expect(pp.weights[0]!.argv).toEqual([
      'test',
      '-d',
      '/home/u/.cache/huggingface/hub/models--org--test-model/snapshots',
    ])
    expect(pp.weights[0]).toMatchObject({ repo: 'org/test-model' })
    for (const s of [...pp.reach, pp.recipe, ...pp.images, ...pp.weights, pp.write])
      expect(s.purpose.length, s.kind).toBeGreaterThan(10)
  })

  it('checks no weights without a cache dir, nor for a recipe without a model id', () => {
    expect(preflightOf('solo', null).weights).toEqual([])
    // A recipe whose model id is unknown (its command names no Hugging Face repo).
    const r: Recipe = { ...recipe({ solo_only: true }), model: null }
    const pp = planPreflight({
      plan: planSwap({ ...base, recipe: r, mode: 'solo' }),
      recipe: r,
      nodes,
      cacheDir: '/cache',
    })
    expect(pp.weights).toEqual([])
    expect(pp.images).toHaveLength(1)
  })
})

describe('judgePreflight', () => {
  it('passes when everything answers and matches, with nothing to report', () => {
    const pp = preflightOf('solo')
    const v = judge(pp, allGood(pp))
    expect(v).toMatchObject({
      ok: true,
      unreachable: [],
      skipped: [],
      recipe: 'same',
      problems: [],
      warnings: [],
    })
    expect(v.checks.every((c) => c.ok)).toBe(true)
    expect(v.checks.map((c) => `${c.node} ${c.check}`)).toEqual([
      'spark-1 reach',
      'spark-2 reach',
      'spark-1 recipe',
      'spark-1 image',
      'spark-1 weights',
    ])
  })

  const missing = answer('', 1, `cat: ${RECIPE_PATH}: No such file or directory\n`)
  const different = answer('name: Other\n')
  it.each([
    ['missing', missing, 'copy', true],
    ['missing', missing, 'refuse', false],
    ['different', different, 'copy', true],
    ['different', different, 'refuse', false],
  ] as const)('a recipe file that is %s under policy %s: ok=%s', (state, outcome, policy, ok) => {
    const pp = preflightOf('solo')
    const v = judge(pp, { ...allGood(pp), recipe: outcome }, policy)
    expect(v.recipe).toBe(state)
    expect(v.ok).toBe(ok)
    expect(v.checks.find((c) => c.check === 'recipe')).toMatchObject({ node: 'spark-1', ok: false })
    if (ok) {
      expect(v.problems).toEqual([])
      expect(v.warnings).toEqual([expect.stringContaining('copies its own there first')])
    } else {
      expect(v.problems).toEqual([expect.stringContaining('SWAP_RECIPE_SYNC=copy')])
      expect(v.problems[0]).toContain(RECIPE_PATH)
    }
  })

  it('a recipe file that cannot be read is a problem under either policy', () => {
    const pp = preflightOf('solo')
    const denied = answer('', 1, `cat: ${RECIPE_PATH}: Permission denied\n`)
    const v = judge(pp, { ...allGood(pp), recipe: denied }, 'copy')
    expect(v).toMatchObject({ ok: false, recipe: 'unknown' })
    expect(v.problems).toEqual([expect.stringMatching(/could not read .*Permission denied/)])
  })

  it('a missing image is a problem naming the image and the node', () => {
    const pp = preflightOf('cluster')
    const results = allGood(pp)
    results.images['spark-2'] = answer('', 1, 'Error response from daemon: No such image: vllm-node:latest\n')
    const v = judge(pp, results)
    expect(v.ok).toBe(false)
    expect(v.unreachable).toEqual([])
    expect(v.problems).toEqual([expect.stringContaining('vllm-node is not on spark-2')])
    expect(v.checks.find((c) => c.check === 'image' && c.node === 'spark-2')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('No such image'),
    })
  })

  it('missing weights are a warning only: vLLM downloads them', () => {
    const pp = preflightOf('solo')
    const v = judge(pp, { ...allGood(pp), weights: { 'spark-1': answer('', 1) } })
    expect(v.ok).toBe(true)
    expect(v.problems).toEqual([])
    expect(v.warnings).toEqual([expect.stringMatching(/org\/test-model are not on spark-1.*downloads/)])
  })

  it('a needed node that does not answer is unreachable, not a problem', () => {
    const pp = preflightOf('cluster')
    const v = judge(pp, { ...allGood(pp), reach: { 'spark-1': answer(), 'spark-2': noAnswer() } })
    expect(v).toMatchObject({ ok: false, unreachable: ['spark-2'], skipped: [], problems: [] })
    expect(v.checks.find((c) => c.node === 'spark-2' && c.check === 'reach')).toMatchObject({
      ok: false,
      detail: 'connect ECONNREFUSED',
    })
  })

  it('a node the model does not need that does not answer is skipped, with a warning', () => {
    const pp = preflightOf('solo')
    const v = judge(pp, { ...allGood(pp), reach: { 'spark-1': answer(), 'spark-2': noAnswer('timed out') } })
    expect(v).toMatchObject({ ok: true, unreachable: [], skipped: ['spark-2'], problems: [] })
    expect(v.warnings).toEqual([expect.stringMatching(/spark-2 does not answer \(timed out\).*left out/)])
  })

  it('an SSH failure that is not unreachability (auth) is a problem, not a 503', () => {
    const pp = preflightOf('cluster')
    const auth: ProbeOutcome = { ran: false, unreachable: false, reason: 'authentication failed' }
    const v = judge(pp, { ...allGood(pp), reach: { 'spark-1': answer(), 'spark-2': auth } })
    expect(v).toMatchObject({ ok: false, unreachable: [], skipped: [] })
    expect(v.problems).toEqual(['SSH to spark-2 failed: authentication failed.'])
  })

  it('a head that does not answer leaves the recipe unknown without a second problem', () => {
    const pp = preflightOf('solo')
    const { recipe: _, ...rest } = allGood(pp)
    const v = judge(pp, {
      ...rest,
      reach: { 'spark-1': noAnswer(), 'spark-2': answer() },
      images: {},
      weights: {},
    })
    expect(v).toMatchObject({ ok: false, unreachable: ['spark-1'], recipe: 'unknown', problems: [] })
  })
})
