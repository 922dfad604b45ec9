/**
 * One read of the cluster status, as the dashboard sees it: either the status, or "could not get
 * it" (with the last good answer, if any, so the cards can stay on screen marked as old).
 */
import type { ClusterStatus } from '../shared/contracts/gateway.ts'
import type { GetStatus } from './ports.ts'

export type { GetStatus }

export type StatusView = { ok: true; status: ClusterStatus } | { ok: false; lastGood?: ClusterStatus }

/**
 * Asks for the status with a deadline. A getStatus that ignores its signal still cannot hold a
 * page or a stream open: the race ends on the deadline or when `parent` aborts.
 */
export async function readStatus(
  getStatus: GetStatus,
  parent: AbortSignal,
  timeoutMs: number,
): Promise<ClusterStatus> {
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  let onParentAbort: (() => void) | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort()
      reject(new Error(`no status within ${timeoutMs} ms`))
    }, timeoutMs)
    onParentAbort = () => {
      controller.abort()
      reject(new Error('stopped'))
    }
    if (parent.aborted) onParentAbort()
    else parent.addEventListener('abort', onParentAbort, { once: true })
  })
  try {
    return await Promise.race([getStatus(controller.signal), deadline])
  } finally {
    clearTimeout(timer)
    if (onParentAbort) parent.removeEventListener('abort', onParentAbort)
  }
}
