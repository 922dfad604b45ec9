/** Where owner windows live between restarts (adapters/maintenance-store.ts: one SQLite table). */

/** An owner's window as stored; times are milliseconds since the epoch. */
export interface StoredWindow {
  id: string
  /** Target ids, or `*` for all. */
  targets: string[]
  startsAt: number
  endsAt: number
  reason: string
}

/** Synchronous like the SQLite drivers; a failed write throws and the window is not added. */
export interface MaintenanceStore {
  /** Every stored window, earliest start first. */
  all(): StoredWindow[]
  insert(window: StoredWindow): void
  remove(id: string): boolean
  /** Deletes the windows that ended at or before `now`; returns how many. */
  removeEnded(now: number): number
}
