/**
 * The models the simulated cluster knows how to "load", read from the same recipe files the
 * controller's catalog reads (`recipes/*.yaml` at the repo root). The simulator plays the Spark
 * side, which has its own copy of the recipes and its own reader (eugr's `run-recipe.py`), so this
 * is deliberately a separate, small reader and never imports the controller's code: it takes only
 * what the simulated eugr scripts need. A file it cannot use is skipped with a note, like a recipe
 * `run-recipe.sh` would then report as not found.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { fillTemplate, type TemplateValue } from './cluster/eugr-recipe.ts'
import type { RecipeMeta } from './cluster/index.ts'

/** The repo's recipes/: two folders up from the sources, three when running compiled from dist/. */
const RECIPES_DIR_CANDIDATES = ['../../recipes/', '../../../recipes/'].map((p) =>
  fileURLToPath(new URL(p, import.meta.url)),
)
export const SIM_RECIPES_DIR =
  RECIPES_DIR_CANDIDATES.find((dir) => existsSync(dir)) ?? RECIPES_DIR_CANDIDATES[0]!

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

const scalars = (m: Mapping): Record<string, TemplateValue> =>
  Object.fromEntries(
    Object.entries(m).filter((e): e is [string, TemplateValue] =>
      ['string', 'number', 'boolean'].includes(typeof e[1]),
    ),
  )

/**
 * One recipe file → what the simulated eugr scripts use, or why it cannot be used. Like eugr's
 * runner it reads only eugr's own fields: never our override block (a test greps for its name).
 */
export function simRecipeFrom(source: string, key = 'recipe'): RecipeMeta | string {
  const doc: unknown = parse(source)
  if (!isMapping(doc)) return 'not a YAML mapping'
  const defaults = isMapping(doc.defaults) ? scalars(doc.defaults) : {}
  const command = typeof doc.command === 'string' ? doc.command : ''
  const rendered = fillTemplate(command, defaults)
  const served =
    typeof rendered === 'string' ? /\bvllm\s+serve\s+([^\s-][^\s]*)/.exec(rendered)?.[1] : undefined
  const model = text(doc.model) ?? served
  if (!model) return 'no model (neither `model` nor `vllm serve <model>` in the command)'
  const port = Number(defaults.port)
  return {
    model,
    soloOnly: doc.solo_only === true,
    clusterOnly: doc.cluster_only === true,
    defaultPort: Number.isInteger(port) && port > 0 ? port : undefined,
    container: text(doc.container),
    template: {
      name: text(doc.name) ?? key,
      command,
      defaults,
      env: isMapping(doc.env) ? scalars(doc.env) : {},
      source,
    },
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
      const meta = simRecipeFrom(readFileSync(`${dir}/${file}`, 'utf8'), key)
      if (typeof meta === 'string') problems.push(`${file}: ${meta}`)
      else if (recipes[key]) problems.push(`${file}: recipe ${key} is already defined by another file`)
      else recipes[key] = meta
    } catch (err) {
      problems.push(`${file}: ${(err as Error).message.split('\n')[0]}`)
    }
  }
  return { recipes, problems }
}

/**
 * The repo's recipes, read once when the simulator is first imported; none when the code runs
 * compiled somewhere without recipes/ beside it (the simulator's command is then given RECIPES_DIR).
 */
export const SIM_RECIPES: Record<string, RecipeMeta> = existsSync(SIM_RECIPES_DIR)
  ? loadSimRecipes().recipes
  : {}
