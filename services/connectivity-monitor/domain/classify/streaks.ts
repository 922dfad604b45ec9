/**
 * A run of evidence (failures in a row, successes in a row, slow signs in a row): its count, how
 * many were hard failures, its earliest member and a bounded sample of its members for the
 * transition's evidence — the first ones and the latest, never an unbounded list.
 */
import type { Evidence } from '../ports.ts'

/** A transition carries at most this much evidence. */
export const EVIDENCE_LIMIT = 10

export class EvidenceRun {
  count = 0
  hard = 0
  /** The member sent first (not the first to arrive: late answers come in out of order). */
  first: Evidence | null = null
  /** The member sent last. */
  last: Evidence | null = null
  private head: Evidence[] = []
  private tail: Evidence[] = []

  push(e: Evidence, hard = false): void {
    this.count++
    if (hard) this.hard++
    if (!this.first || e.at < this.first.at) this.first = e
    if (!this.last || e.at > this.last.at) this.last = e
    if (this.head.length < 2) this.head.push(e)
    else {
      this.tail.push(e)
      if (this.tail.length > EVIDENCE_LIMIT - 2) this.tail.shift()
    }
  }

  clear(): void {
    this.count = 0
    this.hard = 0
    this.first = null
    this.last = null
    this.head = []
    this.tail = []
  }

  /** From the first member's send time to the last one's. */
  spanMs(): number {
    return this.first && this.last ? this.last.at - this.first.at : 0
  }

  /** True when `e` was sent after this run began (so it breaks the run). */
  startedBefore(e: Evidence): boolean {
    return this.first !== null && e.at >= this.first.at
  }

  /** The kept members, oldest first. */
  sample(): Evidence[] {
    return [...this.head, ...this.tail].sort((a, b) => a.at - b.at)
  }
}

/** The deciding evidence, oldest first, at most EVIDENCE_LIMIT (the earliest ones and the latest). */
export function deciding(...parts: Array<Evidence | null | Evidence[]>): Evidence[] {
  const all = [...new Set(parts.flat().filter((e): e is Evidence => e !== null))].sort((a, b) => a.at - b.at)
  return all.length <= EVIDENCE_LIMIT ? all : [...all.slice(0, 2), ...all.slice(-(EVIDENCE_LIMIT - 2))]
}
