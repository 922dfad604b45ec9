/**
 * The models the simulated cluster knows how to "load", read from the same recipe files the
 * controller's catalog reads (`recipes/*.yaml` at the repo root). The simulator plays the Spark
 * side, which has its own copy of the recipes and its own reader (eugr's `run-recipe.py`), so this
 * is deliberately a separate, small reader and never imports the controller's code: it takes only
 * what the simulated eugr scripts need. A file it cannot use is skipped with a note, like a recipe
 * `run-recipe.sh` would then report as not found.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import type { RecipeMeta } from './cluster/index.ts'

export const SIM_RECIPES_DIR = fileURLToPath(new URL('../../recipes/', import.meta.url))

/** A solo recipe, preloaded at start-up so the cluster has a chat model. */
export const SIM_DEFAULT_RECIPE = 'qwen3-coder-30b'

export interface SimRecipeSet {
  recipes: Record<string, RecipeMeta>
  /** Files that were skipped, with the reason. */
  problems: string[]
}

type Mapping = Record<string, unknown>
const isMapping = (v: unknown): v is Mapping => typeof v === 'object' && v !== null && !Array.isArray(v)
const text = (v: unknown) => (['string', 'number', 'boolean'].includes(typeof v) ? String(v) : undefined)

/** `{name}` from defaults, `{{`/`}}` as literal braces — how eugr's runner fills the template. */
function render(template: string, defaults: Mapping): string {
  return template.replace(/\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (m, name?: string) =>
    m === '{{' ? '{' : m === '}}' ? '}' : (text(defaults[name as string]) ?? m),
  )
}

function flag(command: string, names: string[]): string | undefined {
  for (const name of names) {
    const m = new RegExp(`(?:^|\\s)${name}(?:=|\\s+)([^\\s'"]+)`).exec(command)
    if (m) return m[1]
  }
  return undefined
}

/** One recipe file → the metadata the simulated eugr scripts use, or why it cannot be used. */
export function simRecipeFrom(source: string): RecipeMeta | string {
  const doc: unknown = parse(source)
  if (!isMapping(doc)) return 'not a YAML mapping'
  const overrides = isMapping(doc.spark_control) ? doc.spark_control : {}
  const defaults = isMapping(doc.defaults) ? doc.defaults : {}
  const command = typeof doc.command === 'string' ? render(doc.command, defaults).replace(/\\\n/g, ' ') : ''
  const served = /\bvllm\s+serve\s+([^\s-][^\s]*)/.exec(command)?.[1]
  const model = text(doc.model) ?? text(overrides.local_path) ?? served
  if (!model) return 'no model (neither `model` nor `vllm serve <model>` in the command)'
  const tp = Number(flag(command, ['-tp', '--tensor-parallel-size']) ?? text(defaults.tensor_parallel) ?? 1)
  const weights = Number(overrides.weights_gib)
  // Footprint per node: a recipe that asks for tensor parallelism splits its weights over the nodes.
  const nodes =
    doc.solo_only === true ? 1 : Math.max(Number.isInteger(tp) ? tp : 1, doc.cluster_only === true ? 2 : 1)
  const port = Number(defaults.port)
  return {
    model,
    servedModelName:
      text(overrides.served_model_name) ?? flag(command, ['--served-model-name']) ?? served ?? model,
    soloOnly: doc.solo_only === true,
    clusterOnly: doc.cluster_only === true,
    memGiB: Number.isFinite(weights) && weights > 0 ? Math.round((weights / nodes) * 10) / 10 : undefined,
    // eugr knows nothing of our overrides: without `--port` it uses defaults.port.
    defaultPort: Number.isInteger(port) && port > 0 ? port : undefined,
    container: text(doc.container),
  }
}

export function loadSimRecipes(dir = SIM_RECIPES_DIR): SimRecipeSet {
  const recipes: Record<string, RecipeMeta> = {}
  const problems: string[] = []
  for (const file of readdirSync(dir)
    .filter((f) => /\.ya?ml$/i.test(f))
    .sort()) {
    const key = file.replace(/\.ya?ml$/i, '')
    try {
      const meta = simRecipeFrom(readFileSync(`${dir}/${file}`, 'utf8'))
      if (typeof meta === 'string') problems.push(`${file}: ${meta}`)
      else if (recipes[key]) problems.push(`${file}: recipe ${key} is already defined by another file`)
      else recipes[key] = meta
    } catch (err) {
      problems.push(`${file}: ${(err as Error).message.split('\n')[0]}`)
    }
  }
  return { recipes, problems }
}

/** The repo's recipes, read once when the simulator is first imported. */
export const SIM_RECIPES: Record<string, RecipeMeta> = loadSimRecipes().recipes
