/**
 * Running a patch's check steps on its node and reading the answer: `applied` when every step
 * passes, `missing` when one ran and did not pass (the detail says how), `unknown` when the node
 * did not answer (the detail says why). Steps run in order and stop at the first that does not pass.
 */
import type { PatchState, PatchStep } from '../../../../../shared/contracts/swap-controller.ts'
import type { NodeCommandRunner } from '../ports.ts'
import type { CheckExpectation, PatchTarget, PlannedCheck, PlannedStep } from './plan.ts'

export interface StepRunOptions {
  runner: NodeCommandRunner
  /** Budget of each command. */
  timeoutMs: number
  signal?: AbortSignal
  clock?: () => number
}

export interface CommandOutcome {
  code: number | null
  stdout: string
  stderr: string
}

export interface CheckRun {
  state: PatchState
  detail: string | null
  steps: PatchStep[]
}

const MAX_DETAIL = 300
const cut = (text: string, max = 120) => (text.length > max ? `${text.slice(0, max)}…` : text)
const firstLine = (text: string) => text.trim().split('\n')[0] ?? ''

/** Why a command that exited non-zero failed: its status and docker's own first line of complaint. */
export function exitDetail(res: CommandOutcome): string {
  const said = firstLine(res.stderr) || firstLine(res.stdout)
  const status = res.code === null ? 'was killed' : `exited with ${res.code}`
  return cut(said ? `${status}: ${said}` : status, MAX_DETAIL)
}

/** Whether one check step's output is what the patch expects; the detail says what was seen. */
export function evaluateCheck(
  expect: CheckExpectation,
  res: CommandOutcome,
): { ok: boolean; detail: string } {
  if (res.code !== 0) return { ok: false, detail: exitDetail(res) }
  const out = res.stdout.trim()
  if (expect.kind === 'exit_code') return { ok: true, detail: 'exited with 0' }
  if (expect.kind === 'stdout')
    return out === expect.value
      ? { ok: true, detail: `is ${cut(JSON.stringify(out))}` }
      : { ok: false, detail: `is ${cut(JSON.stringify(out))}, expected ${cut(JSON.stringify(expect.value))}` }
  return expect.pattern.test(out)
    ? { ok: true, detail: `${cut(JSON.stringify(out))} matches /${expect.pattern.source}/` }
    : { ok: false, detail: `${cut(JSON.stringify(out))} does not match /${expect.pattern.source}/` }
}

export const reasonOf = (err: unknown) => cut(err instanceof Error ? err.message : String(err), MAX_DETAIL)

/** One command, timed; a thrown error (node gone, timeout) is returned, not thrown. */
export async function runStep(
  step: PlannedStep,
  opts: StepRunOptions,
): Promise<{ res: CommandOutcome | null; error: string | null; ms: number }> {
  const clock = opts.clock ?? Date.now
  const started = clock()
  try {
    const res = await opts.runner.run(step.command, { timeoutMs: opts.timeoutMs, signal: opts.signal })
    return { res, error: null, ms: clock() - started }
  } catch (err) {
    return { res: null, error: reasonOf(err), ms: clock() - started }
  }
}

export const stepRecord = (
  kind: PatchStep['kind'],
  step: PlannedStep,
  result: { exit_code: number | null; ok: boolean | null; detail: string | null; ms: number | null },
): PatchStep => ({ kind, description: step.description, command: step.command, ...result })

/** The check steps in order, stopping at the first that does not pass. */
export async function runChecks(
  target: PatchTarget,
  kind: 'check' | 'recheck',
  opts: StepRunOptions,
): Promise<CheckRun> {
  const steps: PatchStep[] = []
  for (const check of target.check as readonly PlannedCheck[]) {
    const { res, error, ms } = await runStep(check, opts)
    if (!res) {
      steps.push(stepRecord(kind, check, { exit_code: null, ok: false, detail: error, ms }))
      return { state: 'unknown', detail: `${target.node} did not answer: ${error}`, steps }
    }
    const verdict = evaluateCheck(check.expect, res)
    // After the apply steps ran, a failing check is the case an operator must not miss.
    const still = kind === 'recheck' && !verdict.ok ? 'still fails after apply — ' : ''
    const detail = `${still}${check.description}: ${verdict.detail}`
    steps.push(stepRecord(kind, check, { exit_code: res.code, ok: verdict.ok, detail, ms }))
    if (!verdict.ok) return { state: 'missing', detail, steps }
  }
  return { state: 'applied', detail: null, steps }
}
