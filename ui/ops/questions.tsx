/**
 * The three questions of the operations page, each built from a dry run where there is one: the
 * fragment htmx asks for and, without JavaScript, the page with `?restart=`, `?patches=apply` or
 * `?sweep=` both show the same. A dry run the controller refuses is said as a notice instead.
 */
import type { Child } from 'hono/jsx'
import { isSafeName } from '../../shared/names.ts'
import { NoticeBox } from '../components/notice.tsx'
import { PatchesConfirm } from './patches.tsx'
import { RestartConfirm } from './restart.tsx'
import { type OpsSource, OpsSourceError } from './source.ts'
import { isSweepTarget } from './sweep-words.ts'
import { SweepConfirm } from './sweeps.tsx'
import { changeRefusal, restartRefusal } from './words-errors.ts'

export interface Asking {
  ops: OpsSource
  actor: string
  signal: AbortSignal
}

export async function restartQuestion(a: Asking, service: string): Promise<Child> {
  if (!isSafeName(service))
    return <NoticeBox notice={{ tone: 'warn', text: 'Pick a service from the cards first.' }} />
  try {
    return <RestartConfirm plan={await a.ops.restart(service, 'dry_run', a.actor, a.signal)} />
  } catch (err) {
    return <NoticeBox notice={restartRefusal(err, service, null)} />
  }
}

export async function patchesQuestion(a: Asking): Promise<Child> {
  try {
    return <PatchesConfirm plan={await a.ops.applyPatches(null, 'dry_run', a.actor, a.signal)} />
  } catch (err) {
    return <NoticeBox notice={changeRefusal(err, 'The patch run was')} />
  }
}

/**
 * The sweep's dry run says its plan (levels, cell length) in words; a live cluster may refuse even
 * the dry run without `confirm_live` (428), and then the question goes without the plan.
 */
export async function sweepQuestion(a: Asking, target: string, simulated: boolean): Promise<Child> {
  if (!isSweepTarget(target))
    return <NoticeBox notice={{ tone: 'warn', text: 'Pick what to measure from the list first.' }} />
  let plan: string | null = null
  try {
    plan = (await a.ops.startSweep({ target, dry_run: true }, a.actor, a.signal)).reason
  } catch (err) {
    if (!(err instanceof OpsSourceError && err.status === 428))
      return <NoticeBox notice={changeRefusal(err, 'The sweep was')} />
  }
  return <SweepConfirm target={target} simulated={simulated} plan={plan} />
}
