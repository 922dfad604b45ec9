/**
 * The swap-controller's failures and refusals, as the operations page says them: a controller that
 * does not answer, an answer that does not match the contract, an operation it does not offer yet,
 * and a change it refused (a swap on the same node, too many restarts, not confirmed).
 */
import { AppError } from '../../shared/errors.ts'
import type { Notice } from '../components/notice.tsx'
import { OpsSourceError } from './source.ts'

export type ProblemKind = 'down' | 'mismatch' | 'missing' | 'refused'

export interface ReadProblem {
  kind: ProblemKind
  text: string
}

/** Why a part of the page (`what`: "the service containers", …) cannot be shown. */
export function readProblem(err: unknown, what: string): ReadProblem {
  if (err instanceof OpsSourceError) {
    if (err.status === 404 || err.status === 501)
      return {
        kind: 'missing',
        text: `The swap-controller does not offer ${what} yet (it answered ${err.status}).`,
      }
    if (err.status < 500)
      return { kind: 'refused', text: `The swap-controller refused to show ${what}: ${err.message}` }
    return { kind: 'refused', text: `The swap-controller could not read ${what}: ${err.message}` }
  }
  if (err instanceof AppError && err.status === 502 && /does not match the contract/.test(err.message))
    return {
      kind: 'mismatch',
      text: `The swap-controller's answer about ${what} is not what this dashboard expects, so it is not shown: ${err.message}`,
    }
  return {
    kind: 'down',
    text: `The swap-controller is not answering, so ${what} cannot be shown. It may be stopped or restarting; this page tries again by itself.`,
  }
}

const aboutSwap = (err: OpsSourceError) => /swap/.test(err.code ?? '') || /\b(swap|switch)/i.test(err.message)

/** Why a restart did not happen, in words a person can act on. */
export function restartRefusal(err: unknown, service: string, node: string | null): Notice {
  if (err instanceof OpsSourceError) {
    const on = typeof err.extra.node === 'string' ? err.extra.node : node
    if (err.status === 409 && aboutSwap(err))
      return {
        tone: 'warn',
        text: `${service} was not restarted: a model switch is using ${on ?? 'its node'} right now, and restarting a container there could break it. Try again when the switch has finished.`,
        items: [err.message],
      }
    if (err.status === 429)
      return {
        tone: 'warn',
        text: `${service} was not restarted: it has been restarted too often recently.`,
        items: [err.message],
      }
    if (err.status === 428)
      return { tone: 'warn', text: `${service} was not restarted: the restart was not confirmed.` }
    if (err.status === 404) return { tone: 'warn', text: `There is no service named ${service} to restart.` }
    return { tone: err.status < 500 ? 'warn' : 'bad', text: `${service} was not restarted: ${err.message}` }
  }
  return notAnswering(err, `whether ${service} restarted`)
}

/** Why a patch run or a sweep did not start (`what`: "The patches were", "The sweep was"). */
export function changeRefusal(err: unknown, what: string): Notice {
  if (err instanceof OpsSourceError) {
    if (err.status === 409 && aboutSwap(err))
      return {
        tone: 'warn',
        text: `${what} not started: a model switch is running right now. Try again when it has finished.`,
        items: [err.message],
      }
    return { tone: err.status < 500 ? 'warn' : 'bad', text: `${what} not started: ${err.message}` }
  }
  return notAnswering(err, 'what happened')
}

function notAnswering(err: unknown, unknown: string): Notice {
  const problem = readProblem(err, 'the answer')
  if (problem.kind === 'mismatch') return { tone: 'bad', text: problem.text }
  return {
    tone: 'bad',
    text: `The swap-controller is not answering, so ${unknown} is not known. Reload in a moment to see the current state.`,
  }
}
