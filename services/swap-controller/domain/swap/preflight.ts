/**
 * Pre-flight: what a swap checks on the Sparks before anything is torn down, so a swap that cannot
 * work is refused while the current model keeps serving. Every node the new model needs must answer
 * over SSH; the head's recipe file must be the controller's (or be copied there first, by policy);
 * the container image must be on every needed node; the weights should be (vLLM downloads missing
 * ones, which the swap says). Fit from live memory is checked after this (fit.ts). A node the new
 * model does not need that does not answer is left out of the teardown and reported, not blocking.
 * Planning and judging are pure; the cluster driver runs the steps.
 */

import type { Recipe } from '../catalog/types.ts'
import { resolveDockerDir } from '../inventory.ts'
import { cacheDirName, hubDir } from '../models/ids.ts'
import { needPerNode } from './fit.ts'
import type { SwapPlan } from './plan.ts'
import {
  type CheckImageStep,
  type CheckWeightsStep,
  checkImageStep,
  checkWeightsStep,
  headRecipePath,
  type ReachStep,
  type ReadRecipeStep,
  reachStep,
  readRecipeStep,
  type WriteRecipeStep,
  writeRecipeStep,
} from './preflight-steps.ts'

export type RecipeSyncPolicy = 'copy' | 'refuse'

export interface PreflightPlan {
  /** Nodes the new model runs on, head first. */
  needs: string[]
  /** Every inventory node with an SSH user (the teardown touches them all). */
  reach: ReachStep[]
  recipe: ReadRecipeStep
  images: CheckImageStep[]
  weights: CheckWeightsStep[]
  write: WriteRecipeStep
}

type InventoryNode = { name: string; user: string | null; dockerDir: string | null }

export interface PreflightInput {
  plan: SwapPlan
  recipe: Recipe
  nodes: readonly InventoryNode[]
  /** MODEL_CACHE_DIR (`~/…` resolved per SSH user); null skips the weights check. */
  cacheDir: string | null
}

export function planPreflight({ plan, recipe, nodes, cacheDir }: PreflightInput): PreflightPlan {
  const needs = Object.keys(needPerNode(recipe, plan.mode, plan.nodes))
  const byName = new Map(nodes.map((n) => [n.name, n]))
  const path = headRecipePath(byName.get(plan.head)!.dockerDir!, plan.recipe)
  const weights = (node: string) => {
    const dir = cacheDir ? resolveDockerDir(cacheDir, byName.get(node)?.user ?? null) : null
    if (!dir || !recipe.model) return []
    return [checkWeightsStep(node, recipe.model, `${hubDir(dir)}/${cacheDirName(recipe.model)}`)]
  }
  return {
    needs,
    reach: plan.nodes.map(reachStep),
    recipe: readRecipeStep(plan.head, path),
    images: needs.map((n) => checkImageStep(n, recipe.container)),
    weights: needs.flatMap(weights),
    write: writeRecipeStep(plan.head, path),
  }
}

/** What running one probe gave: its exit and output, or why it could not run. */
export type ProbeOutcome =
  | { ran: true; code: number | null; stdout: string; stderr: string }
  | { ran: false; unreachable: boolean; reason: string }

export interface PreflightResults {
  reach: Record<string, ProbeOutcome>
  /** Absent when the head did not answer (nothing else is run on it). */
  recipe?: ProbeOutcome
  images: Record<string, ProbeOutcome>
  weights: Record<string, ProbeOutcome>
}

export type CheckName = 'reach' | 'recipe' | 'image' | 'weights'

export interface PreflightCheck {
  node: string
  check: CheckName
  ok: boolean
  detail: string
}

export interface PreflightVerdict {
  /** Nothing blocks the swap (a recipe to copy does not block under the `copy` policy). */
  ok: boolean
  /** Needed nodes that did not answer: the swap is refused with 503 and Retry-After. */
  unreachable: string[]
  /** Other nodes that did not answer: left out of the teardown. */
  skipped: string[]
  /** The head's recipe file compared with the controller's. */
  recipe: 'same' | 'missing' | 'different' | 'unknown'
  /** Why the swap cannot run (blocking), in plain words. */
  problems: string[]
  warnings: string[]
  checks: PreflightCheck[]
}

const NOT_PROBED: ProbeOutcome = { ran: false, unreachable: true, reason: 'not probed' }
const firstLine = (s: string) => s.trim().split('\n')[0]?.slice(0, 200) ?? ''
const why = (o: ProbeOutcome) => (o.ran ? firstLine(o.stderr) || `exit ${o.code}` : o.reason)

function recipeState(o: ProbeOutcome | undefined, local: string): PreflightVerdict['recipe'] {
  if (!o?.ran) return 'unknown'
  if (o.code === 0) return o.stdout === local ? 'same' : 'different'
  return /no such file/i.test(o.stderr) ? 'missing' : 'unknown'
}

export interface JudgeOptions {
  /** The controller's recipe file, byte for byte. */
  localRecipe: string
  policy: RecipeSyncPolicy
}

export function judgePreflight(
  pp: PreflightPlan,
  results: PreflightResults,
  opts: JudgeOptions,
): PreflightVerdict {
  const checks: PreflightCheck[] = []
  const problems: string[] = []
  const warnings: string[] = []
  const unreachable: string[] = []
  const skipped: string[] = []
  for (const step of pp.reach) {
    const o = results.reach[step.node] ?? NOT_PROBED
    const answered = o.ran === true && o.code === 0
    checks.push({ node: step.node, check: 'reach', ok: answered, detail: answered ? 'answers' : why(o) })
    if (answered) continue
    if (!o.ran && !o.unreachable) problems.push(`SSH to ${step.node} failed: ${o.reason}.`)
    else if (pp.needs.includes(step.node)) unreachable.push(step.node)
    else {
      skipped.push(step.node)
      warnings.push(
        `${step.node} does not answer (${why(o)}); this model does not need it, so it is left out.`,
      )
    }
  }
  const recipe = recipeState(results.recipe, opts.localRecipe)
  judgeRecipe(pp, results.recipe, recipe, opts.policy, { checks, problems, warnings })
  for (const step of pp.images) judgeImage(step, results.images[step.node], { checks, problems, warnings })
  for (const step of pp.weights)
    judgeWeights(step, results.weights[step.node], { checks, problems, warnings })
  const ok = unreachable.length === 0 && problems.length === 0
  return { ok, unreachable, skipped, recipe, problems, warnings, checks }
}

type Sink = Pick<PreflightVerdict, 'checks' | 'problems' | 'warnings'>

function judgeRecipe(
  pp: PreflightPlan,
  o: ProbeOutcome | undefined,
  state: PreflightVerdict['recipe'],
  policy: RecipeSyncPolicy,
  sink: Sink,
) {
  if (!o) return
  const { node, path } = pp.recipe
  const what = state === 'missing' ? 'is missing' : "differs from the controller's"
  const ok = state === 'same'
  let detail = ok ? "same as the controller's" : `${path} ${what}`
  if (state === 'unknown') {
    detail = `could not read ${path}: ${why(o)}`
    sink.problems.push(`The recipe file on ${node} ${detail}.`)
  } else if (!ok && policy === 'refuse')
    sink.problems.push(
      `The recipe file on ${node} (${path}) ${what}: run-recipe.sh would launch something else than this plan. ` +
        'Copy the controller’s file there, or set SWAP_RECIPE_SYNC=copy.',
    )
  else if (!ok)
    sink.warnings.push(`The recipe file on ${node} ${what}: the controller copies its own there first.`)
  sink.checks.push({ node, check: 'recipe', ok, detail })
}

function judgeImage(step: CheckImageStep, o: ProbeOutcome | undefined, sink: Sink) {
  if (!o) return
  const ok = o.ran && o.code === 0
  sink.checks.push({ node: step.node, check: 'image', ok, detail: ok ? 'present' : why(o) })
  if (!ok)
    sink.problems.push(
      `The container image ${step.image} is not on ${step.node} (${why(o)}); build or copy it there first ` +
        "(eugr's build-and-copy.sh).",
    )
}

function judgeWeights(step: CheckWeightsStep, o: ProbeOutcome | undefined, sink: Sink) {
  if (!o) return
  const ok = o.ran && o.code === 0
  const missing = o.ran && o.code === 1
  const detail = ok ? 'on disk' : missing ? 'not in the cache' : `could not check: ${why(o)}`
  sink.checks.push({ node: step.node, check: 'weights', ok, detail })
  if (missing)
    sink.warnings.push(
      `The weights of ${step.repo} are not on ${step.node}: vLLM downloads them during the load, which takes much longer.`,
    )
  else if (!ok) sink.warnings.push(`The weights of ${step.repo} on ${step.node} ${detail}.`)
}
