/**
 * The exact commands a swap runs, as argv lists, computed before anything is touched: `dry_run`
 * shows them and the cluster driver executes them, so what an operator reviews is what runs.
 * Only validated values reach an argv (recipe key, container, port, docker dir); the model id and
 * the served name never do — eugr's `run-recipe.sh` reads those from the recipe file itself.
 * The traps of swap-anchors 1.9 are handled here: always `-d` (an attached launch dies with the SSH
 * channel), always `--port` (recipes default to 8000), `--solo` for a solo run (a solo_only recipe is
 * refused on a multi-node `.env` without it), and teardown on EVERY node before any launch (eugr
 * silently reuses a `vllm_node` it finds anywhere).
 */
import { validationFailed } from '../../../../shared/errors.ts'
import { assertAbsolutePath, assertPort, assertSafeName, buildCommand } from '../../../../shared/ssh/quote.ts'
import type { Recipe, RunMode } from '../catalog/types.ts'
import { dockerPsArgv } from '../docker-ps.ts'

export interface NodeArgv {
  node: string
  argv: string[]
}

export interface SwapPlan {
  recipe: string
  mode: RunMode
  servedModelName: string
  port: number
  container: string
  /** Every inventory node: a leftover container anywhere blocks a clean launch. */
  nodes: string[]
  head: string
  /** Per node, in order: graceful stop, then forced removal (a `--rm` container may linger). */
  teardown: NodeArgv[]
  /** Per node: the container must be absent, and memory is read for the baseline check. */
  verify: NodeArgv[]
  launch: NodeArgv
}

export interface PlanInput {
  recipe: Recipe
  mode?: RunMode
  nodes: readonly { name: string; user: string | null; dockerDir: string | null; role: string }[]
  vllmPort: number
  container: string
  /** Seconds `docker stop` waits before SIGKILL (PID 1 is `sleep infinity`, so it always waits). */
  stopGraceS: number
}

/** eugr's default container name; `--name` is passed only for another one. */
export const DEFAULT_CONTAINER = 'vllm_node'
export const MEMINFO_ARGV = ['cat', '/proc/meminfo'] as const

function chooseMode(recipe: Recipe, mode: RunMode | undefined): RunMode {
  const chosen = mode ?? recipe.defaultMode
  if (!recipe.modes.includes(chosen))
    // `body`: POST /api/swap's field; the validate route relocates it to its query.
    throw validationFailed([
      { field: 'mode', location: 'body', message: `${recipe.key} runs only ${recipe.modes.join(' or ')}` },
    ])
  return chosen
}

export function teardownArgv(node: string, container: string, graceS: number): NodeArgv[] {
  return [
    { node, argv: ['docker', 'stop', '-t', String(graceS), container] },
    { node, argv: ['docker', 'rm', '-f', container] },
  ]
}

export function launchArgv(
  dir: string,
  key: string,
  port: number,
  mode: RunMode,
  container: string,
): string[] {
  const argv = [`${dir}/run-recipe.sh`, key, '-d', '--port', String(port)]
  if (mode === 'solo') argv.push('--solo')
  if (container !== DEFAULT_CONTAINER) argv.push('--name', container)
  return argv
}

export function planSwap(input: PlanInput): SwapPlan {
  const key = assertSafeName(input.recipe.key, 'recipe')
  const container = assertSafeName(input.container, 'container')
  const port = assertPort(input.vllmPort, 'port')
  const grace = Math.max(0, Math.min(600, Math.round(input.stopGraceS)))
  const mode = chooseMode(input.recipe, input.mode)
  const reachable = input.nodes.filter((n) => n.user !== null)
  const head = reachable.find((n) => n.role === 'head')
  if (!head?.dockerDir)
    throw validationFailed([
      { field: 'inventory', message: 'no head node with an SSH user and a docker dir' },
    ])
  const dir = assertAbsolutePath(head.dockerDir, 'SPARK_VLLM_DOCKER_DIR')
  const names = reachable.map((n) => assertSafeName(n.name, 'node'))
  return {
    recipe: key,
    mode,
    servedModelName: input.recipe.servedModelName,
    port,
    container,
    nodes: names,
    head: head.name,
    teardown: names.flatMap((n) => teardownArgv(n, container, grace)),
    verify: names.flatMap((n) => [
      { node: n, argv: dockerPsArgv(container) },
      { node: n, argv: [...MEMINFO_ARGV] },
    ]),
    launch: { node: head.name, argv: launchArgv(dir, key, port, mode, container) },
  }
}

export interface RenderedCommand {
  node: string
  command: string
}

export interface RenderedPlan {
  teardown: RenderedCommand[]
  verify: RenderedCommand[]
  launch: RenderedCommand[]
}

/** The strings that go over SSH, exactly as `shared/ssh` sends them. */
export function renderPlan(plan: SwapPlan): RenderedPlan {
  const render = (list: NodeArgv[]) => list.map((c) => ({ node: c.node, command: buildCommand(c.argv) }))
  return { teardown: render(plan.teardown), verify: render(plan.verify), launch: render([plan.launch]) }
}

/** The teardown half of a plan, on every reachable node, whatever recipe (if any) is loaded. */
export function planStop(input: {
  recipe: string
  nodes: PlanInput['nodes']
  container: string
  vllmPort: number
  stopGraceS: number
}): SwapPlan {
  const reachable = input.nodes.filter((n) => n.user !== null)
  const head = reachable.find((n) => n.role === 'head') ?? reachable[0]
  if (!head) throw validationFailed([{ field: 'inventory', message: 'no node with an SSH user' }])
  const container = assertSafeName(input.container, 'container')
  const nodes = reachable.map((n) => assertSafeName(n.name, 'node'))
  const grace = Math.max(0, Math.min(600, Math.round(input.stopGraceS)))
  const verify = nodes.flatMap((node) =>
    [dockerPsArgv(container), [...MEMINFO_ARGV]].map((argv) => ({ node, argv })),
  )
  const teardown = nodes.flatMap((n) => teardownArgv(n, container, grace))
  const port = assertPort(input.vllmPort, 'port')
  return {
    recipe: input.recipe,
    mode: 'solo',
    servedModelName: '',
    port,
    container,
    nodes,
    head: head.name,
    teardown,
    verify,
    launch: { node: head.name, argv: [] },
  }
}
