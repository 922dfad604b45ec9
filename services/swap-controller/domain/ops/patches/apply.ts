/**
 * Applying one patch to one service: check first (already applied: skipped, nothing else runs);
 * else the apply steps in order, stopping at the first that fails; then the check again. It is
 * `applied` only when every apply step succeeded and the recheck passed — a patch whose check
 * still fails after its steps ran is reported (`after: missing`), never marked applied. A dry run
 * lists every command and runs none.
 */
import type { PatchApplyResult, PatchStep } from '../../../../../shared/contracts/swap-controller.ts'
import { exitDetail, runChecks, runStep, type StepRunOptions, stepRecord } from './check.ts'
import type { PatchTarget } from './plan.ts'

export type PatchResult = PatchApplyResult & { summary: string }

/** Apply steps get longer than checks: `docker update` waits for the daemon. */
export interface ApplyOptions extends Omit<StepRunOptions, 'timeoutMs'> {
  checkTimeoutMs: number
  applyTimeoutMs: number
}

export const targetName = (t: Pick<PatchTarget, 'id' | 'service' | 'node'>) =>
  `${t.id} on ${t.service} (${t.node})`

const result = (
  t: PatchTarget,
  fields: Omit<PatchResult, 'id' | 'service' | 'node' | 'summary'>,
  outcome: string,
): PatchResult => ({
  id: t.id,
  service: t.service,
  node: t.node,
  ...fields,
  summary: `${targetName(t)}: ${outcome}`,
})

export function dryRunTarget(t: PatchTarget): PatchResult {
  const nothing = { exit_code: null, ok: null, detail: null, ms: null }
  const steps: PatchStep[] = [
    ...t.check.map((s) => stepRecord('check', s, nothing)),
    ...t.apply.map((s) => stepRecord('apply', s, nothing)),
    ...t.check.map((s) => stepRecord('recheck', s, nothing)),
  ]
  const counts = `${t.check.length} check and ${t.apply.length} apply command(s)`
  return result(
    t,
    { before: 'unknown', after: null, applied: false, skipped: false, steps },
    `dry run: ${counts}, nothing ran`,
  )
}

/** A patch that could not be tried at all (a swap started on its node): nothing ran. */
export function notTried(t: PatchTarget, why: string): PatchResult {
  return result(
    t,
    { before: 'unknown', after: 'unknown', applied: false, skipped: false, steps: [] },
    `not applied: ${why}`,
  )
}

async function runApplySteps(
  t: PatchTarget,
  opts: ApplyOptions,
): Promise<{ steps: PatchStep[]; failed: string | null }> {
  const steps: PatchStep[] = []
  for (const [i, step] of t.apply.entries()) {
    const { res, error, ms } = await runStep(step, { ...opts, timeoutMs: opts.applyTimeoutMs })
    const ok = res?.code === 0
    const detail = res ? (ok ? 'done' : exitDetail(res)) : `${t.node} did not answer: ${error}`
    steps.push(stepRecord('apply', step, { exit_code: res?.code ?? null, ok, detail, ms }))
    if (!ok) return { steps, failed: `apply step ${i + 1} (${step.description}) failed: ${detail}` }
  }
  return { steps, failed: null }
}

export async function applyTarget(t: PatchTarget, opts: ApplyOptions): Promise<PatchResult> {
  const checkOpts = { ...opts, timeoutMs: opts.checkTimeoutMs }
  const before = await runChecks(t, 'check', checkOpts)
  if (before.state === 'applied')
    return result(
      t,
      { before: 'applied', after: 'applied', applied: false, skipped: true, steps: before.steps },
      'already applied; nothing ran',
    )
  if (before.state === 'unknown')
    return result(
      t,
      { before: 'unknown', after: 'unknown', applied: false, skipped: false, steps: before.steps },
      `not applied: ${before.detail}`,
    )
  const applied = await runApplySteps(t, opts)
  // The recheck runs after a failed step too: it says where the container stands now.
  const after = await runChecks(t, 'recheck', checkOpts)
  const steps = [...before.steps, ...applied.steps, ...after.steps]
  const ok = applied.failed === null && after.state === 'applied'
  const fields = { before: before.state, after: after.state, applied: ok, skipped: false, steps }
  if (ok) return result(t, fields, 'applied, and its check passes')
  if (applied.failed) return result(t, fields, `not applied: ${applied.failed}`)
  const why = after.state === 'unknown' ? after.detail : `the check failed after apply (${after.detail})`
  return result(t, fields, `not applied: ${why}`)
}
