/**
 * The engine's use of pre-flight: plan and run the probes, turn the verdict into a refusal
 * (503 + Retry-After for a needed node that does not answer — a temporary condition a client should
 * retry — and 409 for anything a person must fix), and copy the controller's recipe file to the
 * head when the policy says so, audited, before anything is torn down.
 */
import { AppError } from '../../../../shared/errors.ts'
import type { Recipe } from '../catalog/types.ts'
import type { SwapPlan } from './plan.ts'
import {
  judgePreflight,
  type PreflightInput,
  type PreflightPlan,
  type PreflightResults,
  type PreflightVerdict,
  type ProbeOutcome,
  planPreflight,
  type RecipeSyncPolicy,
} from './preflight.ts'
import type { PlanStep } from './steps.ts'

/** How long a client is told to wait before asking again when a node does not answer. */
const UNREACHABLE_RETRY_S = 15

export interface PreflightDeps {
  probes: {
    preflight(pp: PreflightPlan, signal?: AbortSignal): Promise<PreflightResults>
    /** One step on its own, `stdin` written to it. */
    run(step: PlanStep, stdin?: string, signal?: AbortSignal): Promise<ProbeOutcome>
  }
  /** The controller's own recipe file, byte for byte. */
  localRecipe(recipe: Recipe): Promise<string>
  policy: RecipeSyncPolicy
  cacheDir: string | null
  nodes: PreflightInput['nodes']
}

export interface Preflight {
  plan: PreflightPlan
  verdict: PreflightVerdict
  local: string
}

export async function runPreflight(deps: PreflightDeps, plan: SwapPlan, recipe: Recipe): Promise<Preflight> {
  const pp = planPreflight({ plan, recipe, nodes: deps.nodes, cacheDir: deps.cacheDir })
  const [local, results] = await Promise.all([deps.localRecipe(recipe), deps.probes.preflight(pp)])
  return {
    plan: pp,
    verdict: judgePreflight(pp, results, { localRecipe: local, policy: deps.policy }),
    local,
  }
}

const list = (names: string[]) => names.join(' and ')

/** The refusal a verdict calls for, or null; `serving` is what vLLM lists now (it keeps serving). */
export function preflightRefusal(
  v: PreflightVerdict,
  recipe: string,
  serving: string | null,
): AppError | null {
  const keeps = serving ? ` ${serving} keeps serving.` : ' Nothing was changed.'
  const extra = { preflight: v }
  if (v.unreachable.length > 0) {
    const [first] = v.checks.filter((c) => c.check === 'reach' && v.unreachable.includes(c.node))
    const is = v.unreachable.length > 1 ? 'are' : 'is'
    const message = `${list(v.unreachable)} ${is} unreachable (${first?.detail}); ${recipe} needs ${v.unreachable.length > 1 ? 'them' : 'it'}.${keeps}`
    return new AppError(503, 'node_unreachable', message, {
      retryAfterS: UNREACHABLE_RETRY_S,
      extra: { ...extra, nodes: v.unreachable },
    })
  }
  if (v.problems.length > 0)
    return new AppError(409, 'preflight_failed', `Pre-flight failed: ${v.problems.join(' ')}${keeps}`, {
      extra,
    })
  return null
}

/**
 * Copies the controller's recipe to the head when it is missing or different there (policy `copy`
 * only: otherwise the verdict already refused), then reads it back. Throws 409 when that fails.
 */
export async function syncRecipe(
  deps: PreflightDeps,
  pf: Preflight,
  audit: (outcome: string, detail: string) => void,
): Promise<void> {
  const { verdict, plan, local } = pf
  if (verdict.recipe !== 'missing' && verdict.recipe !== 'different') return
  const { node, path } = plan.write
  const was = verdict.recipe === 'missing' ? 'was missing' : 'differed'
  const wrote = await deps.probes.run(plan.write, local)
  const back = wrote.ran && wrote.code === 0 ? await deps.probes.run(plan.recipe) : null
  if (back?.ran && back.code === 0 && back.stdout === local) {
    audit('ok', `${path} on ${node} ${was}; the controller's copy was written (${local.length} bytes)`)
    return
  }
  const why = !wrote.ran
    ? wrote.reason
    : wrote.code !== 0
      ? wrote.stderr.trim().slice(0, 200) || `exit ${wrote.code}`
      : 'reading it back did not give what was written'
  audit('failed', `${path} on ${node} ${was}; writing the controller's copy failed: ${why}`)
  throw new AppError(
    409,
    'preflight_failed',
    `The recipe file on ${node} ${was} and could not be replaced: ${why}.`,
    {
      extra: { preflight: verdict },
    },
  )
}
