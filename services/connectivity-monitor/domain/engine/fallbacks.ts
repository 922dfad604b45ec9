/**
 * What the monitor runs on when its database cannot be opened (a full disk, a folder it may not
 * write): probing and the live state go on — they matter most exactly when something is wrong —
 * while the history answers every call with the reason (the routes say 503, /ready says `history`
 * is down), and owner maintenance windows are kept in memory until the next start.
 */
import type { MaintenanceStore, StoredWindow } from '../maintenance/ports.ts'
import type { History } from '../ports.ts'

export function unavailableHistory(reason: string): History {
  const fail = (): never => {
    throw new Error(`the history database is not open (${reason})`)
  }
  return {
    record: fail,
    outages: fail,
    open: fail,
    uptime: fail,
    markAlerted: fail,
    heartbeat: fail,
    prune: fail,
    close: () => undefined,
  }
}

export function memoryMaintenanceStore(): MaintenanceStore {
  let rows: StoredWindow[] = []
  const keep = (test: (w: StoredWindow) => boolean) => {
    const before = rows.length
    rows = rows.filter(test)
    return before - rows.length
  }
  return {
    all: () => [...rows].sort((a, b) => a.startsAt - b.startsAt),
    insert: (w) => void rows.push(w),
    remove: (id) => keep((w) => w.id !== id) > 0,
    removeEnded: (now) => keep((w) => w.endsAt > now),
  }
}
