/**
 * What a swap or a stop will run, as typed steps (steps.ts) computed before anything is touched:
 * `dry_run` shows them and the cluster driver executes them, and both turn a step into its command
 * string with shared/ssh `wireCommand`, so what an operator reviews is byte for byte what runs.
 * Only validated values reach an argv (recipe key, container, port, docker dir, memory fraction,
 * context length, served name — see launch-step.ts); the model id never does: eugr's `run-recipe.sh`
 * reads it from the recipe file itself, which knows nothing of our `spark_control` block.
 * Teardown runs on EVERY reachable node before any launch (eugr silently reuses a `vllm_node` it
 * finds anywhere), and a solo run passes `--solo` (a solo_only recipe is refused on a multi-node
 * `.env` without it). What eugr's scripts need is recorded in docs/UPSTREAMS.md.
 */
import { validationFailed } from '../../../../shared/errors.ts'
import { assertAbsolutePath, assertPort, assertSafeName, wireCommand } from '../../../../shared/ssh/quote.ts'
import type { Recipe, RunMode } from '../catalog/types.ts'
import { needPerNode } from './fit.ts'
import { type LaunchOverrides, launchStep } from './launch-step.ts'
import type { PreflightPlan } from './preflight.ts'
import {
  checkAbsentStep,
  type LaunchStep,
  type PlanStep,
  readMemoryStep,
  type StepKind,
  type TeardownStep,
  teardownSteps,
  type VerifyStep,
} from './steps.ts'

/** What a stop runs, and what a swap runs first. */
export interface TeardownPlan {
  container: string
  port: number
  /** Every reachable inventory node: a leftover container anywhere blocks a clean launch. */
  nodes: string[]
  /**
   * Nodes whose teardown must be verified. Any other node that stops answering is passed over and
   * reported: a solo model on the head never needs the worker. A stop requires every node.
   */
  required: string[]
  /** Per node, in order: graceful stop, then forced removal. */
  teardown: TeardownStep[]
  /** Per node: the container must be absent, and memory is read until it settles. */
  verify: VerifyStep[]
}

export interface SwapPlan extends TeardownPlan {
  recipe: string
  mode: RunMode
  servedModelName: string
  head: string
  launch: LaunchStep
}

type InventoryNode = { name: string; user: string | null; dockerDir: string | null; role: string }

export interface TeardownInput {
  nodes: readonly InventoryNode[]
  vllmPort: number
  container: string
  /** Seconds `docker stop` waits before SIGKILL, clamped to 0–600. */
  stopGraceS: number
}

export interface PlanInput extends TeardownInput {
  recipe: Recipe
  mode?: RunMode
}

const reachable = (nodes: readonly InventoryNode[]) => nodes.filter((n) => n.user !== null)

function chooseMode(recipe: Recipe, mode: RunMode | undefined): RunMode {
  const chosen = mode ?? recipe.defaultMode
  if (!recipe.modes.includes(chosen))
    // `body`: POST /api/swap's field; the validate route relocates it to its query.
    throw validationFailed([
      { field: 'mode', location: 'body', message: `${recipe.key} runs only ${recipe.modes.join(' or ')}` },
    ])
  return chosen
}

/**
 * What the launch tells vLLM: the memory fraction the fit check used (memory.ts reads the same
 * `gpuMemoryUtilization`), the context length, and in a cluster the tensor parallelism.
 */
function launchOverrides(recipe: Recipe, mode: RunMode): LaunchOverrides {
  return {
    gpuMem: recipe.gpuMemoryUtilization,
    ...(recipe.maxModelLen !== null && { maxModelLen: recipe.maxModelLen }),
    ...(mode === 'cluster' && { tp: recipe.tensorParallel }),
  }
}

/** Teardown and its verification on every reachable node, whatever recipe (if any) is loaded. */
export function planTeardown(input: TeardownInput): TeardownPlan {
  const container = assertSafeName(input.container, 'container')
  const port = assertPort(input.vllmPort, 'port')
  const grace = Math.max(0, Math.min(600, Math.round(input.stopGraceS)))
  const nodes = reachable(input.nodes).map((n) => assertSafeName(n.name, 'node'))
  return {
    container,
    port,
    nodes,
    required: nodes,
    teardown: nodes.flatMap((n) => teardownSteps(n, container, grace)),
    verify: nodes.flatMap((n) => [checkAbsentStep(n, container), readMemoryStep(n)]),
  }
}

/** The stop's plan: the teardown half of a swap, refused when no node can be reached at all. */
export function planStop(input: TeardownInput): TeardownPlan {
  if (reachable(input.nodes).length === 0)
    throw validationFailed([{ field: 'inventory', message: 'no node with an SSH user' }])
  return planTeardown(input)
}

export function planSwap(input: PlanInput): SwapPlan {
  const recipe = assertSafeName(input.recipe.key, 'recipe')
  const teardown = planTeardown(input)
  const mode = chooseMode(input.recipe, input.mode)
  const head = reachable(input.nodes).find((n) => n.role === 'head')
  if (!head?.dockerDir)
    throw validationFailed([
      { field: 'inventory', message: 'no head node with an SSH user and a docker dir' },
    ])
  const dir = assertAbsolutePath(head.dockerDir, 'SPARK_VLLM_DOCKER_DIR')
  const { container, port } = teardown
  return {
    ...teardown,
    required: Object.keys(needPerNode(input.recipe, mode, teardown.nodes)),
    recipe,
    mode,
    servedModelName: input.recipe.servedModelName,
    head: head.name,
    launch: launchStep(head.name, {
      dir,
      recipe,
      port,
      mode,
      container,
      overrides: launchOverrides(input.recipe, mode),
      servedName: input.recipe.servedModelName,
      template: input.recipe.raw.command,
    }),
  }
}

/** One step as the dry run shows it; `command` is exactly the string sent over SSH. */
export interface RenderedCommand {
  node: string
  command: string
  kind: StepKind
  purpose: string
  deadline_ms: number
}

export interface RenderedTeardown {
  teardown: RenderedCommand[]
  verify: RenderedCommand[]
}

export interface RenderedPlan extends RenderedTeardown {
  /** What runs before anything is touched (empty when no pre-flight runs); see preflight.ts. */
  preflight: RenderedCommand[]
  launch: RenderedCommand[]
}

const renderStep = (step: PlanStep): RenderedCommand => ({
  node: step.node,
  command: wireCommand(step),
  kind: step.kind,
  purpose: step.purpose,
  deadline_ms: step.deadlineMs,
})

export function renderTeardown(plan: TeardownPlan): RenderedTeardown {
  return { teardown: plan.teardown.map(renderStep), verify: plan.verify.map(renderStep) }
}

/** The recipe write is shown too: it runs only when the head's file is missing or different. */
export function renderPlan(plan: SwapPlan, preflight?: PreflightPlan): RenderedPlan {
  const checks = preflight
    ? [...preflight.reach, preflight.recipe, ...preflight.images, ...preflight.weights, preflight.write]
    : []
  return { preflight: checks.map(renderStep), ...renderTeardown(plan), launch: [renderStep(plan.launch)] }
}
