import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { GB10_NODE_MEMORY_BYTES, GIB } from './memory.ts'
import { parseRecipe } from './recipe.ts'
import type { CatalogEntry, Recipe } from './types.ts'

const SHIPPED = new URL('../../../../recipes/', import.meta.url)
const FIXTURES = new URL('./fixtures/', import.meta.url)

const shipped = readdirSync(SHIPPED).filter((f) => f.endsWith('.yaml'))
const parseFile = (dir: URL, file: string) => parseRecipe(readFileSync(new URL(file, dir), 'utf8'), { file })

function valid(entry: CatalogEntry): Recipe {
  if (!entry.valid) throw new Error(`expected a valid recipe, got: ${entry.reasons.join('; ')}`)
  return entry
}

/** A minimal recipe in eugr's format; `extra` is merged over it. */
function recipeText(extra: Record<string, unknown> = {}): string {
  return stringify({
    recipe_version: '1',
    name: 'Test Model',
    model: 'org/test-model',
    container: 'vllm-node',
    defaults: { port: 8000, host: '0.0.0.0', gpu_memory_utilization: 0.8 },
    command:
      'vllm serve org/test-model --host {host} --port {port} --gpu-memory-utilization {gpu_memory_utilization}\n',
    ...extra,
  })
}

const parse = (extra: Record<string, unknown> = {}, file = 'test.yaml') =>
  parseRecipe(recipeText(extra), { file })

describe('the shipped recipes', () => {
  it('are at least two solo-capable recipes and one two-node cluster recipe', () => {
    const recipes = shipped.map((f) => valid(parseFile(SHIPPED, f)))
    expect(recipes.filter((r) => r.defaultMode === 'solo').length).toBeGreaterThanOrEqual(2)
    expect(recipes.some((r) => r.modes.join() === 'cluster' && r.nodesNeeded === 2)).toBe(true)
  })

  it.each(shipped)('%s is valid, with no warnings, served on our port', (file) => {
    const r = valid(parseFile(SHIPPED, file))
    expect(r.warnings).toEqual([])
    expect(r.port).toBe(8888)
    expect(r.weightsGib).toBeGreaterThan(0)
    expect(r.argv.slice(0, 2)).toEqual(['vllm', 'serve'])
  })

  it('derive what the controller needs for the two-node GLM recipe', () => {
    const r = valid(parseFile(SHIPPED, 'glm-4.5-air.yaml'))
    expect(r).toMatchObject({
      key: 'glm-4.5-air',
      model: 'zai-org/GLM-4.5-Air-FP8',
      localPath: null,
      modes: ['cluster'],
      defaultMode: 'cluster',
      nodesNeeded: 2,
      tensorParallel: 2,
      servedModelName: 'glm-4.5-air',
      port: 8888,
      portSource: 'spark_control',
      gpuMemoryUtilization: 0.8,
      maxModelLen: 65536,
    })
    expect(r.argv).toEqual(
      expect.arrayContaining([
        '--served-model-name',
        'glm-4.5-air',
        '--tensor-parallel-size',
        '2',
        '--port',
        '8888',
      ]),
    )
    expect(r.raw.env).toEqual({ NCCL_IB_DISABLE: 0 })
  })
})

describe('invalid recipes', () => {
  it.each([
    ['missing-command.yaml', 'command: is required'],
    ['broken-yaml.yaml', 'YAML: Flow sequence'],
    ['duplicate-field.yaml', 'YAML: Map keys must be unique at line 4'],
    ['not-a-mapping.yaml', '(file): must be a YAML mapping'],
    ['both-only.yaml', 'solo_only, cluster_only: both are true'],
    ['unknown-placeholder.yaml', 'command: uses {kv_dtype}, but defaults has no `kv_dtype`'],
    ['misspelt-override.yaml', 'spark_control: unknown setting gpu_mem'],
    ['model-and-local-path.yaml', 'model: give either `model`'],
    ['version-2.yaml', 'recipe_version: must be "1"'],
    ['chained-command.yaml', 'command: has `&` outside single quotes'],
    ['two-lines.yaml', 'command: has a line break without a trailing `\\`'],
    ['hostile-container.yaml', 'container: must be a Docker image'],
    ['mode-conflict.yaml', 'spark_control.mode: is cluster, but the recipe is solo_only'],
    ['solo-with-tp2.yaml', 'solo_only: runs solo, but the command asks for 2 GPUs'],
    ['no-model.yaml', 'model: is required'],
    ['not-vllm.yaml', 'command: must start with `vllm serve`'],
  ])('%s → %s', (file, reason) => {
    const entry = parseFile(FIXTURES, file)
    expect(entry).toMatchObject({ valid: false, key: file.replace('.yaml', ''), file })
    if (entry.valid) return
    expect(entry.reasons.join('\n')).toContain(reason)
  })

  it('lists every problem of a file at once, each naming its field', () => {
    const entry = parseFile(FIXTURES, 'bad-types.yaml')
    expect(entry.valid ? [] : entry.reasons).toEqual([
      'solo_only: must be true or false',
      'mods: must be a list of mod paths like `mods/fix-x`',
      'spark_control.port: must be between 1 and 65535',
      'spark_control.gpu_memory_utilization: must be at most 1',
      'spark_control.on_demand: must be true or false',
    ])
    expect(entry.valid ? null : entry.name).toBe('Bad Types')
  })

  it('says which required eugr fields are missing', () => {
    const entry = parseRecipe('recipe_version: "1"\ndescription: nothing else\n', { file: 'empty.yaml' })
    expect(entry.valid ? [] : entry.reasons).toEqual([
      'name: is required',
      'container: is required',
      'command: is required',
    ])
  })
})

describe('derivations', () => {
  it('served name: override, else --served-model-name in the command, else what vllm serves', () => {
    expect(valid(parse({ spark_control: { served_model_name: 'coder' } })).servedModelName).toBe('coder')
    const fromFlag = parse({ command: 'vllm serve org/test-model --served-model-name alias other\n' })
    expect(valid(fromFlag).servedModelName).toBe('alias')
    expect(valid(parse({ command: 'vllm serve org/test-model\n' })).servedModelName).toBe('org/test-model')
  })

  it('port: override, else defaults.port, else --port in the command, else 8000', () => {
    expect(valid(parse({ spark_control: { port: 8888 } }))).toMatchObject({
      port: 8888,
      portSource: 'spark_control',
    })
    expect(valid(parse())).toMatchObject({ port: 8000, portSource: 'defaults' })
    expect(valid(parse({ defaults: {}, command: 'vllm serve org/test-model --port 9000\n' }))).toMatchObject({
      port: 9000,
      portSource: 'command',
    })
    expect(valid(parse({ defaults: {}, command: 'vllm serve org/test-model\n' }))).toMatchObject({
      port: 8000,
      portSource: 'vllm_default',
    })
  })

  it('renders our overrides into the placeholders eugr lets the CLI override', () => {
    const r = valid(parse({ spark_control: { port: 8888, gpu_memory_utilization: 0.6 } }))
    expect(r.argv).toEqual([
      'vllm',
      'serve',
      'org/test-model',
      '--host',
      '0.0.0.0',
      '--port',
      '8888',
      '--gpu-memory-utilization',
      '0.6',
    ])
    expect(r.gpuMemoryUtilization).toBe(0.6)
  })

  it('where it runs: solo_only, cluster_only, our mode, and nodes from tensor × pipeline parallel', () => {
    expect(valid(parse({ solo_only: true }))).toMatchObject({
      modes: ['solo'],
      defaultMode: 'solo',
      nodesNeeded: 1,
    })
    const either = valid(parse({ command: 'vllm serve org/test-model --tensor-parallel-size=2 -pp 2\n' }))
    expect(either).toMatchObject({ modes: ['solo', 'cluster'], defaultMode: 'cluster', nodesNeeded: 4 })
    expect(either.placements.map((p) => [p.mode, p.nodes])).toEqual([
      ['solo', 1],
      ['cluster', 4],
    ])
    expect(valid(parse({ spark_control: { mode: 'solo' } })).modes).toEqual(['solo'])
    expect(valid(parse({ cluster_only: true }))).toMatchObject({ modes: ['cluster'], nodesNeeded: 2 })
    const soloTp2 = parse({ spark_control: { mode: 'solo' }, command: 'vllm serve org/test-model -tp 2\n' })
    expect(soloTp2.valid ? [] : soloTp2.reasons).toEqual([
      expect.stringMatching(/^spark_control\.mode: runs solo, but .* 2 GPUs/),
    ])
  })

  it('memory per node follows the documented formula', () => {
    const r = valid(parse({ cluster_only: true, spark_control: { weights_gib: 100 } }))
    const weights = (100 / 2) * GIB * 1.1 + 2 * GIB
    const budget = 0.8 * GB10_NODE_MEMORY_BYTES
    expect(r.placements[0]!.weightsShareBytes).toBeCloseTo(weights, -1)
    expect(r.placements[0]!.kvShareBytes).toBeCloseTo(budget - weights, -1)
    expect(r.memoryNeedBytes).toBeCloseTo(budget, -1)
    const solo = valid(parse({ spark_control: { weights_gib: 100, gpu_memory_utilization: 0.5 } }))
    expect(solo.memoryNeedBytes).toBeCloseTo(100 * GIB * 1.1 + 2 * GIB, -1)
    expect(solo.warnings.join(' ')).toContain('no room for KV cache')
  })

  it('takes the model from the command when eugr`s optional `model` is absent, and local paths too', () => {
    expect(recipeText({ model: undefined })).not.toContain('model:')
    const inferred = valid(parse({ model: undefined }, 'plain-eugr.yaml'))
    expect(inferred).toMatchObject({ model: 'org/test-model', localPath: null })
    const local = valid(
      parse({
        model: undefined,
        command: 'vllm serve /models/my-finetune --port 8000\n',
        spark_control: { local_path: '/models/my-finetune' },
      }),
    )
    expect(local).toMatchObject({
      model: null,
      localPath: '/models/my-finetune',
      servedModelName: '/models/my-finetune',
    })
  })

  it('warns when the command serves something else than `model` names', () => {
    const r = valid(parse({ model: 'org/other-model' }))
    expect(r.warnings[0]).toContain('serves `org/test-model` but the recipe names `org/other-model`')
  })

  it('renders booleans the way eugr`s Python runner does', () => {
    const r = valid(parse({ defaults: { trust: true }, command: 'vllm serve org/test-model --x {trust}\n' }))
    expect(r.argv).toContain('True')
  })
})
