/**
 * From a schema-checked recipe file to the facts the controller acts on: the rendered command,
 * what is served under which name and port, where it can run, and its memory need. Each step adds
 * plain-language reasons instead of throwing, so one file can report all of its problems at once.
 */
import { absolutePathProblem } from '../../../../shared/ssh/quote.ts'
import { FLAGS, flagValue, renderTemplate, servedSource, splitCommand } from './command.ts'
import { estimateMemory, VLLM_DEFAULT_GPU_MEMORY_UTILIZATION } from './memory.ts'
import { modelIdProblem, type Overrides, type RecipeFile } from './schema.ts'
import type { Placement, PortSource, Recipe, RunMode } from './types.ts'

type Derived = Omit<Recipe, 'valid' | 'key' | 'file' | 'name' | 'description' | 'container' | 'raw'>

interface Context {
  reasons: string[]
  warnings: string[]
}

/** Python's `str()` of a YAML scalar, which is what eugr's runner pastes into the command. */
const pyString = (v: string | number | boolean) =>
  typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v)

/** Placeholder values: `defaults`, then our overrides that eugr's runner takes as CLI flags. */
function placeholderValues(file: RecipeFile, o: Overrides): Record<string, string> {
  const values: Record<string, string> = {}
  for (const [k, v] of Object.entries(file.defaults ?? {})) values[k] = pyString(v)
  if (o.port !== undefined) values.port = String(o.port)
  if (o.gpu_memory_utilization !== undefined) values.gpu_memory_utilization = String(o.gpu_memory_utilization)
  if (o.max_model_len !== undefined) values.max_model_len = String(o.max_model_len)
  return values
}

function commandArgv(file: RecipeFile, o: Overrides, ctx: Context): string[] {
  const rendered = renderTemplate(file.command, placeholderValues(file, o))
  const split = splitCommand(rendered.text)
  for (const p of [...rendered.problems, ...split.problems]) ctx.reasons.push(`command: ${p}`)
  if (split.argv[0] !== 'vllm' || split.argv[1] !== 'serve')
    ctx.reasons.push('command: must start with `vllm serve`')
  return split.argv
}

interface NumberSetting {
  flags: readonly string[]
  /** The `defaults` key eugr's recipes use for it. */
  key: string
  integer: boolean
}

const SETTINGS = {
  tensorParallel: { flags: FLAGS.tensorParallel, key: 'tensor_parallel', integer: true },
  pipelineParallel: { flags: FLAGS.pipelineParallel, key: 'pipeline_parallel', integer: true },
  gpuMemoryUtilization: { flags: FLAGS.gpuMemoryUtilization, key: 'gpu_memory_utilization', integer: false },
  maxModelLen: { flags: FLAGS.maxModelLen, key: 'max_model_len', integer: true },
} satisfies Record<string, NumberSetting>

/** A number from the command, else from defaults; null when neither sets it, a reason when bad. */
function numberSetting(
  argv: string[],
  file: RecipeFile,
  { flags, key, integer }: NumberSetting,
  ctx: Context,
) {
  const fromDefaults = file.defaults?.[key]
  const text = flagValue(argv, flags) ?? (fromDefaults === undefined ? null : String(fromDefaults))
  if (text === null) return null
  const n = Number(text)
  if (text.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n <= 0) {
    const wanted = integer ? 'positive whole number' : 'positive number'
    ctx.reasons.push(`${key}: \`${text.slice(0, 40)}\` is not a ${wanted}`)
    return null
  }
  return n
}

function weightsSource(file: RecipeFile, o: Overrides, argv: string[], ctx: Context) {
  const served = servedSource(argv)
  if (file.model !== undefined && o.local_path !== undefined) {
    ctx.reasons.push('model: give either `model` (a Hugging Face id) or `spark_control.local_path`, not both')
    return { model: null, localPath: null }
  }
  let model = file.model ?? null
  let localPath = o.local_path ?? null
  if (!model && !localPath && served) {
    // eugr treats `model` as optional (it only drives downloads); what `vllm serve` loads is the truth.
    if (modelIdProblem(served) === null) model = served
    else if (absolutePathProblem(served) === null) localPath = served
  }
  if (!model && !localPath) {
    ctx.reasons.push(
      'model: is required (a Hugging Face id `org/name`), or `spark_control.local_path` for weights already on the Sparks',
    )
    return { model: null, localPath: null }
  }
  const declared = (model ?? localPath) as string
  if (served && served !== declared) {
    const what = `the command serves \`${served}\` but the recipe names \`${declared}\``
    ctx.warnings.push(`${what} (downloads fetch \`${declared}\`)`)
  }
  return { model, localPath }
}

function runModes(file: RecipeFile, o: Overrides, ctx: Context): RunMode[] {
  if (file.solo_only && file.cluster_only) {
    ctx.reasons.push('solo_only, cluster_only: both are true; a recipe can be one or the other')
    return []
  }
  const allowed: RunMode[] = file.solo_only ? ['solo'] : file.cluster_only ? ['cluster'] : ['solo', 'cluster']
  if (o.mode === undefined) return allowed
  const wanted: RunMode[] = o.mode === 'either' ? ['solo', 'cluster'] : [o.mode]
  const refused = wanted.filter((m) => !allowed.includes(m))
  if (refused.length > 0) {
    const flag = file.solo_only ? 'solo_only' : 'cluster_only'
    ctx.reasons.push(`spark_control.mode: is ${o.mode}, but the recipe is ${flag}`)
    return []
  }
  return wanted
}

const isPort = (n: number) => Number.isInteger(n) && n >= 1 && n <= 65535

function portOf(
  file: RecipeFile,
  o: Overrides,
  argv: string[],
  ctx: Context,
): { port: number; portSource: PortSource } {
  if (o.port !== undefined) return { port: o.port, portSource: 'spark_control' }
  const fromDefaults = file.defaults?.port
  if (fromDefaults !== undefined) {
    const n = Number(fromDefaults)
    if (isPort(n)) return { port: n, portSource: 'defaults' }
    ctx.reasons.push('defaults.port: must be a port between 1 and 65535')
  }
  const fromCommand = Number(flagValue(argv, FLAGS.port))
  if (isPort(fromCommand)) return { port: fromCommand, portSource: 'command' }
  return { port: 8000, portSource: 'vllm_default' }
}

/** Solo takes one node (the launcher passes `--tp 1`); a cluster at least two, else tensor × pipeline. */
function placementsFor(
  modes: RunMode[],
  gpus: number,
  memory: Omit<Parameters<typeof estimateMemory>[0], 'nodes'>,
  ctx: Context,
): Placement[] {
  return modes.map((mode) => {
    const nodes = mode === 'solo' ? 1 : Math.max(2, gpus)
    const m = estimateMemory({ ...memory, nodes })
    if (m.warning) ctx.warnings.push(`${mode}: ${m.warning}`)
    return {
      mode,
      nodes,
      memoryNeedBytes: m.needBytes,
      weightsShareBytes: m.weightsShareBytes,
      kvShareBytes: m.kvShareBytes,
    }
  })
}

export interface DeriveOptions {
  nodeMemoryBytes: number
}

export function deriveRecipe(
  file: RecipeFile,
  { nodeMemoryBytes }: DeriveOptions,
): { derived: Derived; reasons: string[] } {
  const o = file.spark_control ?? {}
  const ctx: Context = { reasons: [], warnings: [] }
  const argv = commandArgv(file, o, ctx)
  const { model, localPath } = weightsSource(file, o, argv, ctx)
  const modes = runModes(file, o, ctx)
  const tp = numberSetting(argv, file, SETTINGS.tensorParallel, ctx) ?? 1
  const pp = numberSetting(argv, file, SETTINGS.pipelineParallel, ctx) ?? 1
  const gpuMemoryUtilization =
    o.gpu_memory_utilization ??
    numberSetting(argv, file, SETTINGS.gpuMemoryUtilization, ctx) ??
    VLLM_DEFAULT_GPU_MEMORY_UTILIZATION
  if (gpuMemoryUtilization > 1) ctx.reasons.push(`gpu_memory_utilization: ${gpuMemoryUtilization} is above 1`)
  const maxModelLen = o.max_model_len ?? numberSetting(argv, file, SETTINGS.maxModelLen, ctx)
  const gpus = tp * pp
  if (modes.length === 1 && modes[0] === 'solo' && gpus > 1) {
    const field = file.solo_only ? 'solo_only' : 'spark_control.mode'
    ctx.reasons.push(
      `${field}: runs solo, but the command asks for ${gpus} GPUs (tensor × pipeline parallel) and a Spark has one`,
    )
  }
  const weightsGib = o.weights_gib ?? null
  if (weightsGib === null)
    ctx.warnings.push('spark_control.weights_gib is not set: the memory need is vLLM’s budget only')
  const placements = placementsFor(modes, gpus, { weightsGib, gpuMemoryUtilization, nodeMemoryBytes }, ctx)
  const defaultMode: RunMode = modes.length === 1 ? (modes[0] as RunMode) : gpus > 1 ? 'cluster' : 'solo'
  const chosen = placements.find((p) => p.mode === defaultMode)
  const servedModelName =
    o.served_model_name ??
    flagValue(argv, FLAGS.servedModelName) ??
    servedSource(argv) ??
    model ??
    localPath ??
    ''
  const derived: Derived = {
    model,
    localPath,
    modes,
    defaultMode,
    nodesNeeded: chosen?.nodes ?? 0,
    placements,
    servedModelName,
    ...portOf(file, o, argv, ctx),
    gpuMemoryUtilization,
    maxModelLen,
    tensorParallel: tp,
    pipelineParallel: pp,
    weightsGib,
    memoryNeedBytes: chosen?.memoryNeedBytes ?? 0,
    onDemand: o.on_demand ?? false,
    minResidencyS: o.min_residency_s ?? 300,
    warnings: ctx.warnings,
    argv,
  }
  return { derived, reasons: ctx.reasons }
}
