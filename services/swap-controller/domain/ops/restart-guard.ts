/**
 * The guard rails of a container start, stop or restart (pure): which service it is (404 when
 * none, or hidden), whether it can be acted on at all (a node the inventory does not know), the
 * exact commands, and the refusal while a swap or stop is using the same node (409). The adapter
 * runs the commands, waits for health and writes the audit row.
 */
import type { OpsCommand } from '../../../../shared/contracts/swap-controller.ts'
import { conflict, notFound } from '../../../../shared/errors.ts'
import { assertSafeName, buildCommand } from '../../../../shared/ssh/quote.ts'
import type { ServiceEntry } from './inventory.ts'
import type { ContainerAction } from './ports.ts'

/** `docker stop/restart -t`: seconds before SIGKILL; the servers exit on SIGTERM well within it. */
export const DEFAULT_GRACE_S = 20

export const AUDIT_ACTIONS: Record<ContainerAction, string> = {
  start: 'ops.start',
  stop: 'ops.stop',
  restart: 'ops.restart',
}

export function findService(entries: readonly ServiceEntry[], name: string): ServiceEntry {
  const entry = entries.find((e) => e.spec.name === name && !e.spec.disabled)
  if (!entry) throw notFound(`There is no service named ${name}.`)
  return entry
}

export function containerCommands(
  entry: ServiceEntry,
  action: ContainerAction,
  graceS = DEFAULT_GRACE_S,
): OpsCommand[] {
  const { node, container } = entry.spec
  assertSafeName(container, 'container')
  const grace = String(Math.max(0, Math.min(600, Math.round(graceS))))
  const argv =
    action === 'start' ? ['docker', 'start', container] : ['docker', action, '-t', grace, container]
  return [{ node, argv, display: buildCommand(argv) }]
}

/** Why this action may not run now, as the error to answer with; null when it may. */
export function refusalOf(
  entry: ServiceEntry,
  action: ContainerAction,
  busyNodes: readonly string[],
): { error: Error; reason: string } | null {
  const { name, node } = entry.spec
  if (entry.problem) {
    const reason = `${name} is not configured: ${entry.problem}`
    return { reason, error: conflict(`${reason}.`) }
  }
  if (busyNodes.includes(node)) {
    const reason = `a swap or stop is using ${node}`
    return {
      reason,
      error: conflict(`Cannot ${action} ${name} now: ${reason}. Try again when it has finished.`, {
        extra: { node },
      }),
    }
  }
  return null
}
