/**
 * The steps a swap or a stop runs on the Sparks, one command each, typed by what it does. A step
 * carries the argv (quoted by shared/ssh), the budget the driver gives it (which also sets the remote
 * `timeout` of its wire form, see `wireCommand`), and a purpose in plain words for the dry run. The
 * driver picks steps by kind and reads their typed fields, never an argv back by position; a new
 * check (a pre-flight probe) or launch option is a new kind or field here, not a new argv convention.
 */
import type { RunMode } from '../catalog/types.ts'
import { dockerPsArgv } from '../docker-ps.ts'
import type { LaunchOverrides } from './launch-step.ts'
import type { PreflightStep } from './preflight-steps.ts'

export interface StepOf<K extends string> {
  kind: K
  node: string
  /** What the step is for, in an operator's words (shown by the dry run). */
  purpose: string
  /** The whole budget the driver gives the command; its remote `timeout` fires a little after. */
  deadlineMs: number
  argv: string[]
}

export interface StopContainerStep extends StepOf<'stop-container'> {
  container: string
  /** Seconds `docker stop` waits before SIGKILL; it always waits them (docs/UPSTREAMS.md, docker-stop trap). */
  graceS: number
}
export interface RemoveContainerStep extends StepOf<'remove-container'> {
  container: string
}
/** `docker ps -a` for the container: the teardown is verified when it lists nothing. */
export interface CheckAbsentStep extends StepOf<'check-absent'> {
  container: string
}
export type ReadMemoryStep = StepOf<'read-memory'>
export interface LaunchStep extends StepOf<'launch'> {
  recipe: string
  mode: RunMode
  port: number
  container: string
  /** Values for eugr's recipe overrides; each fills its `{placeholder}` or follows `--` (launch-step.ts). */
  overrides: LaunchOverrides
  /** What vLLM must list in `/v1/models`; always passed after `--` as `--served-model-name`. */
  servedName: string
}

export type TeardownStep = StopContainerStep | RemoveContainerStep
export type VerifyStep = CheckAbsentStep | ReadMemoryStep
export type PlanStep = TeardownStep | VerifyStep | LaunchStep | PreflightStep
export type StepKind = PlanStep['kind']
export type StepOfKind<K extends StepKind> = Extract<PlanStep, { kind: K }>

export const stepsOfKind = <K extends StepKind>(steps: readonly PlanStep[], kind: K): StepOfKind<K>[] =>
  steps.filter((s): s is StepOfKind<K> => s.kind === kind)

/** What a teardown command may take on top of docker's grace period. */
export const TEARDOWN_BUDGET_MS = 30_000
/** A read-only probe (docker ps, /proc/meminfo). */
export const PROBE_BUDGET_MS = 5000
/** `run-recipe.sh -d` returns once the container is started, but may pull or build first. */
export const LAUNCH_BUDGET_MS = 10 * 60_000
/** eugr's default container name; `--name` is passed only for another one. */
export const DEFAULT_CONTAINER = 'vllm_node'
export const MEMINFO_ARGV: readonly string[] = ['cat', '/proc/meminfo']

/** Teardown on one node, in order: graceful stop, then forced removal (a `--rm` container may linger). */
export function teardownSteps(node: string, container: string, graceS: number): TeardownStep[] {
  // `rm -f` gets the stop's budget too: it kills whatever a stop that ran out of time left.
  const deadlineMs = TEARDOWN_BUDGET_MS + graceS * 1000
  return [
    {
      kind: 'stop-container',
      node,
      container,
      graceS,
      deadlineMs,
      purpose: `stop ${container}, letting vLLM exit for up to ${graceS} s before docker kills it`,
      argv: ['docker', 'stop', '-t', String(graceS), container],
    },
    {
      kind: 'remove-container',
      node,
      container,
      deadlineMs,
      purpose: `remove ${container} even if stopped: eugr would reuse a leftover instead of starting anew`,
      argv: ['docker', 'rm', '-f', container],
    },
  ]
}

export function checkAbsentStep(node: string, container: string): CheckAbsentStep {
  return {
    kind: 'check-absent',
    node,
    container,
    deadlineMs: PROBE_BUDGET_MS,
    purpose: `check that no ${container} container is left, running or stopped`,
    argv: dockerPsArgv(container),
  }
}

export function readMemoryStep(node: string): ReadMemoryStep {
  return {
    kind: 'read-memory',
    node,
    deadlineMs: PROBE_BUDGET_MS,
    purpose: 'read available memory, to see it settle once the model is gone',
    argv: [...MEMINFO_ARGV],
  }
}
