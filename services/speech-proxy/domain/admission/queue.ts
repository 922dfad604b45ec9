/**
 * One lane's waiting requests: strict priority between levels, and within a level the clients take
 * turns (round-robin), so a client that queued a hundred chunks of one long file delays another
 * client's single request by at most one chunk per turn, not by all hundred.
 */
import { PRIORITIES, type Priority } from './lanes.ts'

export interface Queued {
  client: string
  priority: Priority
  work: number
}

interface Level<T> {
  /** Clients in the order they are served next; a client goes to the back after each turn. */
  turns: string[]
  byClient: Map<string, T[]>
}

export interface FairQueue<T extends Queued> {
  readonly size: number
  sizeAt(priority: Priority): number
  push(item: T): void
  /** The item whose turn it is, removed; undefined when empty. */
  shift(): T | undefined
  /** Removes an item that no longer waits (its client went, its deadline passed); false if absent. */
  remove(item: T): boolean
  /** Items served before `item` if it were pushed now (it is not pushed), in dequeue order's terms. */
  ahead(item: Queued): { count: number; work: number }
  /** Every queued item, for a whole-queue estimate. */
  totalWork(): number
}

export function createFairQueue<T extends Queued>(): FairQueue<T> {
  const levels = new Map<Priority, Level<T>>(PRIORITIES.map((p) => [p, { turns: [], byClient: new Map() }]))
  let size = 0
  const level = (p: Priority) => levels.get(p)!

  return {
    get size() {
      return size
    },
    sizeAt: (priority) => [...level(priority).byClient.values()].reduce((n, items) => n + items.length, 0),
    push(item) {
      const { turns, byClient } = level(item.priority)
      const items = byClient.get(item.client)
      if (items) items.push(item)
      else {
        byClient.set(item.client, [item])
        turns.push(item.client)
      }
      size++
    },
    shift() {
      for (const p of PRIORITIES) {
        const { turns, byClient } = level(p)
        const client = turns.shift()
        if (client === undefined) continue
        const items = byClient.get(client)!
        const item = items.shift()!
        if (items.length > 0) turns.push(client)
        else byClient.delete(client)
        size--
        return item
      }
      return undefined
    },
    remove(item) {
      const { turns, byClient } = level(item.priority)
      const items = byClient.get(item.client)
      const at = items?.indexOf(item) ?? -1
      if (!items || at < 0) return false
      items.splice(at, 1)
      if (items.length === 0) {
        byClient.delete(item.client)
        turns.splice(turns.indexOf(item.client), 1)
      }
      size--
      return true
    },
    ahead(item) {
      const before: T[] = []
      for (const p of PRIORITIES) {
        const { turns, byClient } = level(p)
        if (p !== item.priority) {
          for (const items of byClient.values()) before.push(...items)
          continue
        }
        // The new item would be its client's (k+1)-th: clients ahead of that client in the turn
        // order get k+1 turns before it, the ones behind k (a new client goes to the back).
        const k = byClient.get(item.client)?.length ?? 0
        const ownTurn = turns.indexOf(item.client)
        turns.forEach((client, i) => {
          const turnsBefore = client === item.client ? k : ownTurn < 0 || i < ownTurn ? k + 1 : k
          before.push(...byClient.get(client)!.slice(0, turnsBefore))
        })
        break
      }
      return { count: before.length, work: before.reduce((sum, it) => sum + it.work, 0) }
    },
    totalWork() {
      let work = 0
      for (const { byClient } of levels.values())
        for (const items of byClient.values()) for (const it of items) work += it.work
      return work
    },
  }
}
