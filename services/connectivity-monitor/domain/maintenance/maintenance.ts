/**
 * Planned downtime: the windows an owner sets (persisted, so a restart keeps them) and the one a
 * running swap opens on vLLM. A target under maintenance is never called down nor alerted; the
 * engine asks `active()` for each target as it ticks.
 *
 * An owner window covers the targets it names, every target (`*`), and every target running on a
 * node it names: a node taken down for maintenance takes its upstreams with it. The swap covers
 * `vllm` only: the node, ASR, TTS and the rest stay watched while a model loads.
 */
import { randomUUID } from 'node:crypto'
import { conflict, validationFailed } from '../../../../shared/errors.ts'
import type { Maintenance, MaintenanceRequest, MaintenanceWindow, Target } from '../ports.ts'
import type { MaintenanceStore, StoredWindow } from './ports.ts'

/** Owner windows kept at most (current and future); the store is a table, not a log. */
export const MAX_WINDOWS = 200
export const ALL_TARGETS = '*'
/** The target a running swap puts under maintenance. */
export const SWAP_TARGET = 'vllm'
const SWAP_WINDOW_ID = 'swap'

export interface MaintenanceOptions {
  store: MaintenanceStore
  newId?: () => string
}

const iso = (ms: number) => new Date(ms).toISOString()

function windowView(w: StoredWindow): MaintenanceWindow {
  return {
    id: w.id,
    targets: [...w.targets],
    starts_at: iso(w.startsAt),
    ends_at: iso(w.endsAt),
    reason: w.reason,
    source: 'owner',
  }
}

function parseTime(field: string, value: string): number {
  const ms = Date.parse(value)
  if (Number.isNaN(ms)) throw validationFailed([{ field, message: 'not a date-time', location: 'body' }])
  return ms
}

/** Checks an owner's request against `now`: it must end after it starts and not be over already. */
function toStored(request: MaintenanceRequest, now: number, id: string): StoredWindow {
  const startsAt = request.starts_at === undefined ? now : parseTime('body.starts_at', request.starts_at)
  const endsAt = parseTime('body.ends_at', request.ends_at)
  if (endsAt <= startsAt)
    throw validationFailed([{ field: 'body.ends_at', message: 'must be after starts_at', location: 'body' }])
  if (endsAt <= now)
    throw validationFailed([{ field: 'body.ends_at', message: 'is already past', location: 'body' }])
  return { id, targets: [...new Set(request.targets)], startsAt, endsAt, reason: request.reason }
}

const covers = (w: StoredWindow, target: Target) =>
  w.targets.includes(ALL_TARGETS) ||
  w.targets.includes(target.id) ||
  (target.host !== null && w.targets.includes(target.host))

export function createMaintenance({
  store,
  newId = () => `mnt_${randomUUID().replaceAll('-', '').slice(0, 16)}`,
}: MaintenanceOptions): Maintenance {
  let owner = store.all()
  let swap: { detail: string; since: number } | null = null

  /** Forgets what has ended; `now` only moves forward in the engine, so this is cheap after the first call. */
  function current(now: number): StoredWindow[] {
    if (owner.some((w) => w.endsAt <= now)) {
      store.removeEnded(now)
      owner = owner.filter((w) => w.endsAt > now)
    }
    return owner
  }

  return {
    active(target, now) {
      if (swap && target.id === SWAP_TARGET) return { reason: `swap: ${swap.detail}`, until: null }
      let found: StoredWindow | null = null
      for (const w of current(now))
        if (w.startsAt <= now && covers(w, target) && (!found || w.endsAt > found.endsAt)) found = w
      return found ? { reason: found.reason, until: found.endsAt } : null
    },

    windows(now) {
      const list = current(now).map(windowView)
      if (swap)
        list.unshift({
          id: SWAP_WINDOW_ID,
          targets: [SWAP_TARGET],
          starts_at: iso(swap.since),
          ends_at: null,
          reason: `swap: ${swap.detail}`,
          source: 'swap',
        })
      return list
    },

    add(request, now) {
      const stored = toStored(request, now, newId())
      if (current(now).length >= MAX_WINDOWS)
        throw conflict(`At most ${MAX_WINDOWS} maintenance windows are kept; remove one first.`)
      store.insert(stored)
      owner = [...owner, stored].sort((a, b) => a.startsAt - b.startsAt)
      return windowView(stored)
    },

    remove(id) {
      const removed = store.remove(id)
      owner = owner.filter((w) => w.id !== id)
      return removed
    },

    setSwap(detail, now) {
      if (detail === null) swap = null
      else swap = { detail, since: swap?.since ?? now }
    },
  }
}
