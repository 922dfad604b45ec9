/**
 * The read-only probes a swap runs before any teardown (preflight.ts judges what they return), and
 * the one write it may make: the controller's recipe file copied to the head. Same rules as the
 * plan's steps: argv only, validated values only (node names, the recipe key, absolute paths built
 * here, the image checked by the catalog), a budget each, a purpose in plain words for the dry run.
 */
import { assertAbsolutePath } from '../../../../shared/ssh/quote.ts'
import { PROBE_BUDGET_MS, type StepOf } from './steps.ts'

/** `true`: the cheapest proof a node answers over SSH. */
export type ReachStep = StepOf<'reach'>
export interface ReadRecipeStep extends StepOf<'read-recipe'> {
  path: string
}
export interface CheckImageStep extends StepOf<'check-image'> {
  image: string
}
export interface CheckWeightsStep extends StepOf<'check-weights'> {
  repo: string
}
/** Writes stdin (the controller's recipe file) to `path`; `tee` echoes it, which is discarded. */
export interface WriteRecipeStep extends StepOf<'write-recipe'> {
  path: string
}
export type PreflightStep = ReachStep | ReadRecipeStep | CheckImageStep | CheckWeightsStep | WriteRecipeStep

/**
 * A node that does not answer `true` within this is `unreachable`. Short, because the working model
 * keeps serving while pre-flight runs and a client is waiting; a connected node answers in ms.
 */
export const REACH_BUDGET_MS = 4000

export function reachStep(node: string): ReachStep {
  return {
    kind: 'reach',
    node,
    deadlineMs: REACH_BUDGET_MS,
    purpose: 'check that the node answers over SSH',
    argv: ['true'],
  }
}

export const headRecipePath = (dockerDir: string, key: string) =>
  assertAbsolutePath(`${dockerDir.replace(/\/+$/, '')}/recipes/${key}.yaml`, 'recipe path')

export function readRecipeStep(node: string, path: string): ReadRecipeStep {
  return {
    kind: 'read-recipe',
    node,
    path,
    deadlineMs: PROBE_BUDGET_MS,
    purpose: "read the recipe file run-recipe.sh will use, to compare it with the controller's",
    argv: ['cat', '--', path],
  }
}

export function writeRecipeStep(node: string, path: string): WriteRecipeStep {
  return {
    kind: 'write-recipe',
    node,
    path,
    deadlineMs: PROBE_BUDGET_MS,
    purpose: "copy the controller's recipe file there (only when it is missing or different)",
    argv: ['tee', '--', path],
  }
}

export function checkImageStep(node: string, image: string): CheckImageStep {
  return {
    kind: 'check-image',
    node,
    image,
    deadlineMs: PROBE_BUDGET_MS,
    purpose: `check that the container image ${image} is on the node`,
    argv: ['docker', 'image', 'inspect', '--format', '{{.Id}}', image],
  }
}

/** `dir` is `<hub>/models--org--name`, built by the caller from a validated repo id. */
export function checkWeightsStep(node: string, repo: string, dir: string): CheckWeightsStep {
  return {
    kind: 'check-weights',
    node,
    repo,
    deadlineMs: PROBE_BUDGET_MS,
    purpose: `check that the weights of ${repo} are in the Hugging Face cache`,
    argv: ['test', '-d', `${assertAbsolutePath(dir, 'weights dir')}/snapshots`],
  }
}
