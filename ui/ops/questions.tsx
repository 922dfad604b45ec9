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
import type { OpsSource } from './source.ts'
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

export function sweepQuestion(target: string, simulated: boolean): Child {
  if (!isSweepTarget(target))
    return <NoticeBox notice={{ tone: 'warn', text: 'Pick what to measure from the list first.' }} />
  return <SweepConfirm target={target} simulated={simulated} />
}
