import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { wireCommand } from '../../../../shared/ssh/quote.ts'
import { parseRecipe } from '../catalog/recipe.ts'
import type { Recipe } from '../catalog/types.ts'
import { checkFit } from './fit.ts'
import { planStop, planSwap, renderPlan, renderTeardown } from './plan.ts'

const GIB = 2 ** 30
const yaml = (extra: Record<string, unknown> = {}) =>
  stringify({
    recipe_version: '1',
    name: 'Test',
    model: 'org/test-model',
    container: 'vllm-node',
    defaults: { port: 8000 },
    command: 'vllm serve org/test-model --port {port} --served-model-name test\n',
    spark_control: { weights_gib: 20 },
    ...extra,
  })
function recipe(file = 'test-model.yaml', extra: Record<string, unknown> = {}): Recipe {
  const entry = parseRecipe(yaml(extra), { file })
  if (!entry.valid) throw new Error(entry.reasons.join('; '))
  return entry
}
const nodes = [
  { name: 'spark-1', user: 'u', dockerDir: '/home/u/spark-vllm-docker', role: 'head' },
  { name: 'spark-2', user: 'u', dockerDir: '/home/u/spark-vllm-docker', role: 'worker' },
]
const base = { nodes, vllmPort: 8888, container: 'vllm_node', stopGraceS: 10 }

describe('planSwap', () => {
  it('tears down every node, verifies, and launches detached on the port, solo with --solo', () => {
    const plan = planSwap({ ...base, recipe: recipe(), mode: 'solo' })
    const r = renderPlan(plan)
    // The wire form: the remote `timeout` is the step's budget (30 s + the 10 s grace) plus 1 s.
    expect(r.teardown.map((c) => `${c.node}: ${c.command}`)).toEqual([
      "spark-1: 'timeout' '-s' 'KILL' '41.000s' 'docker' 'stop' '-t' '10' 'vllm_node'",
      "spark-1: 'timeout' '-s' 'KILL' '41.000s' 'docker' 'rm' '-f' 'vllm_node'",
      "spark-2: 'timeout' '-s' 'KILL' '41.000s' 'docker' 'stop' '-t' '10' 'vllm_node'",
      "spark-2: 'timeout' '-s' 'KILL' '41.000s' 'docker' 'rm' '-f' 'vllm_node'",
    ])
    expect(r.verify.filter((c) => c.kind === 'check-absent').map((c) => c.node)).toEqual([
      'spark-1',
      'spark-2',
    ])
    expect(r.launch).toEqual([
      {
        node: 'spark-1',
        command:
          "'timeout' '-s' 'KILL' '601.000s' '/home/u/spark-vllm-docker/run-recipe.sh' 'test-model' '-d' '--port' '8888' '--solo' '--' '--served-model-name' 'test' '--gpu-memory-utilization' '0.9'",
        kind: 'launch',
        purpose: expect.stringContaining('test-model'),
        deadline_ms: 600_000,
      },
    ])
    expect(plan.servedModelName).toBe('test')
  })

  it('types every step: kind, purpose and budget, and the stop carries its grace period', () => {
    const plan = planSwap({ ...base, recipe: recipe(), mode: 'solo' })
    const steps = [...plan.teardown, ...plan.verify, plan.launch]
    expect(steps.map((s) => `${s.node} ${s.kind} ${s.deadlineMs}`)).toEqual([
      'spark-1 stop-container 40000',
      'spark-1 remove-container 40000',
      'spark-2 stop-container 40000',
      'spark-2 remove-container 40000',
      'spark-1 check-absent 5000',
      'spark-1 read-memory 5000',
      'spark-2 check-absent 5000',
      'spark-2 read-memory 5000',
      'spark-1 launch 600000',
    ])
    for (const s of steps) expect(s.purpose.length, s.kind).toBeGreaterThan(10)
    expect(plan.teardown[0]).toMatchObject({ kind: 'stop-container', graceS: 10, container: 'vllm_node' })
    expect(plan.launch).toMatchObject({ recipe: 'test-model', mode: 'solo', port: 8888 })
    const grace = planSwap({ ...base, stopGraceS: 1e6, recipe: recipe(), mode: 'solo' }).teardown[0]
    expect(grace).toMatchObject({ graceS: 600, deadlineMs: 630_000 })
  })

  it('renders each step as its wire command, with the kind, purpose and budget beside it', () => {
    const plan = planSwap({ ...base, recipe: recipe(), mode: 'solo' })
    const r = renderPlan(plan)
    const steps = [...plan.teardown, ...plan.verify, plan.launch]
    expect([...r.teardown, ...r.verify, ...r.launch]).toEqual(
      steps.map((s) => ({
        node: s.node,
        command: wireCommand(s),
        kind: s.kind,
        purpose: s.purpose,
        deadline_ms: s.deadlineMs,
      })),
    )
  })

  it('builds the same teardown and verify steps for a stop as for a swap', () => {
    const swap = planSwap({ ...base, recipe: recipe(), mode: 'solo' })
    const stop = planStop(base)
    expect(stop).toEqual({
      container: swap.container,
      port: swap.port,
      nodes: swap.nodes,
      required: swap.nodes,
      teardown: swap.teardown,
      verify: swap.verify,
    })
    // A stop verifies every node; a solo swap requires only the head (a down worker is passed over).
    expect(swap.required).toEqual(['spark-1'])
    expect(planSwap({ ...base, recipe: recipe(), mode: 'cluster' }).required).toEqual(['spark-1', 'spark-2'])
    expect(renderTeardown(stop)).toEqual({
      teardown: renderPlan(swap).teardown,
      verify: renderPlan(swap).verify,
    })
  })

  it('leaves out nodes without an SSH user, and a stop needs at least one node', () => {
    const some = [...nodes, { name: 'spark-3', user: null, dockerDir: null, role: 'worker' }]
    expect(planStop({ ...base, nodes: some }).nodes).toEqual(['spark-1', 'spark-2'])
    expect(() => planStop({ ...base, nodes: [{ ...nodes[0]!, user: null }] })).toThrow(/no node/)
  })

  it('passes --name only for a non-default container, and no --solo in cluster mode', () => {
    const plan = planSwap({
      ...base,
      container: 'llm',
      recipe: recipe('big.yaml', { cluster_only: true }),
      mode: 'cluster',
    })
    expect(plan.launch.argv).toEqual([
      '/home/u/spark-vllm-docker/run-recipe.sh',
      'big',
      '-d',
      '--port',
      '8888',
      '--name',
      'llm',
      '--',
      '--served-model-name',
      'test',
      '--gpu-memory-utilization',
      '0.9',
    ])
  })

  it('fills eugr placeholders with its own overrides, and passes the rest and the alias after --', () => {
    const templated = recipe('t.yaml', {
      cluster_only: true,
      defaults: { port: 8000, gpu_memory_utilization: 0.7, max_model_len: 4096, tensor_parallel: 2 },
      command:
        'vllm serve org/test-model --port {port} -tp {tensor_parallel} --gpu-memory-utilization {gpu_memory_utilization} --max-model-len {max_model_len}\n',
      spark_control: { weights_gib: 20, gpu_memory_utilization: 0.6, served_model_name: 'alias' },
    })
    const plan = planSwap({ ...base, recipe: templated, mode: 'cluster' })
    expect(plan.launch.argv.slice(1)).toEqual(
      ['t', '-d', '--port', '8888', '--tp', '2', '--gpu-mem', '0.6', '--max-model-len', '4096'].concat([
        '--',
        '--served-model-name',
        'alias',
      ]),
    )
    expect(plan.launch).toMatchObject({
      servedName: 'alias',
      overrides: { gpuMem: 0.6, maxModelLen: 4096, tp: 2 },
    })
    // The fit check counts the fraction that is passed.
    expect(templated.gpuMemoryUtilization).toBe(0.6)
  })

  it('passes a context length the command does not template as vLLM’s own flag after --', () => {
    const plan = planSwap({
      ...base,
      recipe: recipe('c.yaml', { spark_control: { max_model_len: 8192 } }),
      mode: 'solo',
    })
    expect(plan.launch.argv.slice(-4)).toEqual(['--gpu-memory-utilization', '0.9', '--max-model-len', '8192'])
  })

  it('refuses a mode the recipe cannot run in', () => {
    expect(() =>
      planSwap({ ...base, recipe: recipe('s.yaml', { solo_only: true }), mode: 'cluster' }),
    ).toThrow(/mode|runs only/)
  })

  it.each(['x;reboot', 'x$(id)', 'x`id`', 'x\nreboot', '../x', '-rf', "x'y"])(
    'refuses the hostile recipe key %j',
    (key) => {
      expect(() => planSwap({ ...base, recipe: { ...recipe(), key }, mode: 'solo' })).toThrow()
    },
  )

  it('never puts the model id in a command, and refuses a served name outside the catalog rule', () => {
    const hostileModel = { ...recipe(), model: 'org/$(reboot)' }
    const all = Object.values(renderPlan(planSwap({ ...base, recipe: hostileModel, mode: 'solo' }))).flat()
    for (const c of all) expect(c.command).not.toMatch(/reboot/)
    for (const servedModelName of ['x;`id`', '../y', '-rf', 'a b', ''])
      expect(() => planSwap({ ...base, recipe: { ...recipe(), servedModelName }, mode: 'solo' })).toThrow(
        /served_model_name/,
      )
  })

  it('refuses a memory fraction or context length that is not a sane number', () => {
    for (const bad of [
      { gpuMemoryUtilization: 1.5 },
      { gpuMemoryUtilization: Number.NaN },
      { maxModelLen: 2.5 },
    ])
      expect(() => planSwap({ ...base, recipe: { ...recipe(), ...bad }, mode: 'solo' })).toThrow()
  })

  it('refuses a hostile container, port or docker dir', () => {
    const r = recipe()
    expect(() => planSwap({ ...base, recipe: r, container: 'a;b' })).toThrow()
    expect(() => planSwap({ ...base, recipe: r, vllmPort: 70000 })).toThrow()
    const bad = [{ ...nodes[0]!, dockerDir: '/home/u/$(id)' }]
    expect(() => planSwap({ ...base, recipe: r, nodes: bad })).toThrow()
  })
})

describe('checkFit', () => {
  const r = {
    ...recipe(),
    memoryNeedBytes: 60 * GIB,
    placements: [
      { mode: 'solo' as const, nodes: 1, memoryNeedBytes: 60 * GIB, weightsShareBytes: 0, kvShareBytes: 0 },
    ],
  }
  const other = { ...r, key: 'other', placements: [{ ...r.placements[0]!, memoryNeedBytes: 40 * GIB }] }
  const names = ['spark-1', 'spark-2']

  it('counts what the current model frees', () => {
    const v = checkFit({
      recipe: r,
      mode: 'solo',
      nodes: names,
      available: { 'spark-1': 30 * GIB },
      current: { recipe: other, mode: 'solo' },
      policy: 'refuse',
    })
    expect(v).toMatchObject({ fits: true, allowed: true })
    expect(v.per_node).toEqual([
      {
        node: 'spark-1',
        need_bytes: 60 * GIB,
        available_bytes: 30 * GIB,
        freed_bytes: 40 * GIB,
        total_bytes: null,
        fits: true,
      },
    ])
  })

  it('frees at most what is in use on the node, so available + freed never exceeds MemTotal', () => {
    // 122 GiB node, 37 GiB in use: the loaded model's nominal 85 GiB cannot all come back.
    const big = { ...other, placements: [{ ...r.placements[0]!, memoryNeedBytes: 85 * GIB }] }
    const input = {
      recipe: r,
      mode: 'solo' as const,
      nodes: names,
      current: { recipe: big, mode: 'solo' as const },
      policy: 'refuse' as const,
    }
    const v = checkFit({ ...input, available: { 'spark-1': 85 * GIB }, total: { 'spark-1': 122 * GIB } })
    expect(v.per_node[0]).toMatchObject({
      available_bytes: 85 * GIB,
      freed_bytes: 37 * GIB,
      total_bytes: 122 * GIB,
    })
    const tight = { ...r, placements: [{ ...r.placements[0]!, memoryNeedBytes: 125 * GIB }] }
    const short = checkFit({
      ...input,
      recipe: tight,
      available: { 'spark-1': 85 * GIB },
      total: { 'spark-1': 122 * GIB },
    })
    expect(short).toMatchObject({ fits: false, allowed: false })
    expect(short.message).toMatch(/spark-1 needs 125.0 GiB but would have 122.0 GiB/)
    // A model using less than its nominal need frees only what it uses.
    const light = checkFit({ ...input, available: { 'spark-1': 110 * GIB }, total: { 'spark-1': 122 * GIB } })
    expect(light.per_node[0]!.freed_bytes).toBe(12 * GIB)
  })

  it('refuses, or warns by policy, when a node is short or unreadable', () => {
    const short = checkFit({
      recipe: r,
      mode: 'solo',
      nodes: names,
      available: { 'spark-1': 30 * GIB },
      policy: 'refuse',
    })
    expect(short).toMatchObject({ fits: false, allowed: false })
    expect(short.message).toMatch(/spark-1 needs 60.0 GiB but would have 30.0 GiB/)
    expect(checkFit({ recipe: r, mode: 'solo', nodes: names, available: {}, policy: 'warn' })).toMatchObject({
      fits: false,
      allowed: true,
    })
  })
})
