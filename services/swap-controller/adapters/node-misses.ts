/**
 * Which nodes stopped answering during a teardown or a load. A probe that fails because the node
 * does not answer (shared/ssh `isUnreachable`) is a miss; `MISSES_TO_FAIL` misses in a row make a
 * required node fail the step, while a node the plan does not require is passed over at its first
 * miss (a solo model on the head does not wait for a worker). An answer resets the count.
 */
import { isUnreachable } from '../../../shared/ssh/errors.ts'
import type { ExecResult } from '../../../shared/ssh/types.ts'
import type { TeardownReport } from '../domain/swap/ports.ts'
import type { PlanStep } from '../domain/swap/steps.ts'

/** One dropped connection that the pool re-establishes at once is not an outage. */
const MISSES_TO_FAIL = 2

export interface DownNode {
  node: string
  reason: string
}

export interface NodeMisses {
  /** Runs a probe; null when the node did not answer (counted) or the probe could not run. */
  run(step: PlanStep, signal: AbortSignal): Promise<ExecResult | null>
  /** Required nodes that missed enough probes in a row to fail. */
  failed(): DownNode[]
  /** Required nodes that missed their last probe but not enough yet. */
  pending(): DownNode[]
  readonly passedOver: ReadonlyMap<string, string>
  report(): TeardownReport
}

export function nodeMisses(
  exec: (step: PlanStep, signal?: AbortSignal) => Promise<ExecResult>,
  required: readonly string[],
): NodeMisses {
  const misses = new Map<string, { count: number; reason: string }>()
  const passedOver = new Map<string, string>()
  const down = (atLeast: number, below = Number.POSITIVE_INFINITY) =>
    [...misses]
      .filter(([, m]) => m.count >= atLeast && m.count < below)
      .map(([node, m]) => ({ node, reason: m.reason }))
  return {
    async run(step, signal) {
      try {
        const res = await exec(step, signal)
        misses.delete(step.node)
        return res
      } catch (err) {
        if (!isUnreachable(err)) return null
        if (!required.includes(step.node)) passedOver.set(step.node, err.reason)
        else misses.set(step.node, { count: (misses.get(step.node)?.count ?? 0) + 1, reason: err.reason })
        return null
      }
    },
    failed: () => down(MISSES_TO_FAIL),
    pending: () => down(1, MISSES_TO_FAIL),
    passedOver,
    report: () => ({ passedOver: [...passedOver].map(([node, reason]) => ({ node, reason })) }),
  }
}

export const nodesOf = (down: readonly DownNode[]) => down.map((d) => d.node)

export const describeDown = (down: readonly DownNode[]) =>
  down.map((d) => `${d.node} is unreachable (${d.reason})`).join('; ')
