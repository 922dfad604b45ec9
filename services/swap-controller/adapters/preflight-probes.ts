/**
 * Runs a swap's pre-flight probes (domain/swap/preflight.ts plans and judges them) over the
 * persistent SSH pool: every node's reachability first, then — only on the nodes that answered —
 * the head's recipe file, the image and the weights, in parallel. A probe that could not run is an
 * outcome (`unreachable` when the node did not answer), never a throw.
 */
import { isUnreachable } from '../../../shared/ssh/errors.ts'
import type { SshNodes } from '../../../shared/ssh/types.ts'
import type { PreflightPlan, PreflightResults, ProbeOutcome } from '../domain/swap/preflight.ts'
import type { PlanStep } from '../domain/swap/steps.ts'

const RECIPE_MAX_BYTES = 256 * 1024

export function createPreflightProbes(ssh: SshNodes) {
  async function probe(step: PlanStep, signal?: AbortSignal, stdin?: string): Promise<ProbeOutcome> {
    const node = ssh.get(step.node)
    if (!node) return { ran: false, unreachable: false, reason: `${step.node} is not in the SSH inventory` }
    try {
      const res = await node.exec(step.argv, {
        timeoutMs: step.deadlineMs,
        signal,
        stdin,
        maxOutputBytes: RECIPE_MAX_BYTES,
        remoteDeadline: step.kind !== 'reach',
      })
      return { ran: true, code: res.code, stdout: res.stdout, stderr: res.stderr }
    } catch (err) {
      const reason = isUnreachable(err) ? err.reason : err instanceof Error ? err.message : String(err)
      return { ran: false, unreachable: isUnreachable(err), reason }
    }
  }

  const byNode = async (steps: readonly PlanStep[], signal?: AbortSignal) =>
    Object.fromEntries(await Promise.all(steps.map(async (s) => [s.node, await probe(s, signal)] as const)))

  return {
    async preflight(pp: PreflightPlan, signal?: AbortSignal): Promise<PreflightResults> {
      const reach = await byNode(pp.reach, signal)
      const answers = (node: string) => {
        const o = reach[node]
        return o?.ran === true && o.code === 0
      }
      const [recipe, images, weights] = await Promise.all([
        answers(pp.recipe.node) ? probe(pp.recipe, signal) : Promise.resolve(undefined),
        byNode(
          pp.images.filter((s) => answers(s.node)),
          signal,
        ),
        byNode(
          pp.weights.filter((s) => answers(s.node)),
          signal,
        ),
      ])
      return { reach, ...(recipe && { recipe }), images, weights }
    },
    /** One step on its own (the recipe write, with the file on stdin, and its read-back). */
    run: (step: PlanStep, stdin?: string, signal?: AbortSignal) => probe(step, signal, stdin),
  }
}
