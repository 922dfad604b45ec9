/**
 * Degraded is a mix: the target answers, but part of its answers fail (real requests getting 5xx
 * while health says 200, health erroring while traffic works). Counted in one-second buckets by
 * send time over the window, so a flood of reported outcomes costs O(1) each; plus the answers in
 * a row since the last failure, which end degraded.
 */
import type { Evidence } from '../ports.ts'

interface Bucket {
  second: number
  ok: number
  failed: number
}

const RECENT_FAILURES = 10

export class MixWindow {
  private readonly buckets: Bucket[]
  /** The latest failures (bounded), for the date and evidence of a degraded change. */
  private failures: Evidence[] = []
  /** App answers in a row, in arrival order, since the last failure. */
  clean = 0
  /** The first of those answers; the last failure before it. */
  firstClean: Evidence | null = null
  lastFailure: Evidence | null = null

  constructor(private readonly windowMs: number) {
    this.buckets = Array.from({ length: Math.ceil(windowMs / 1000) + 1 }, () => ({
      second: -1,
      ok: 0,
      failed: 0,
    }))
  }

  add(e: Evidence, now: number): void {
    if (e.ok) {
      if (this.clean === 0) this.firstClean = e
      this.clean++
    } else {
      this.clean = 0
      this.firstClean = null
      this.lastFailure = e
      this.failures.push(e)
      if (this.failures.length > RECENT_FAILURES) this.failures.shift()
    }
    if (e.at <= now - this.windowMs) return
    const second = Math.floor(e.at / 1000)
    const bucket = this.buckets[second % this.buckets.length]!
    if (bucket.second !== second) Object.assign(bucket, { second, ok: 0, failed: 0 })
    if (e.ok) bucket.ok++
    else bucket.failed++
  }

  counts(now: number): { ok: number; failed: number } {
    const oldest = Math.floor((now - this.windowMs) / 1000)
    let ok = 0
    let failed = 0
    for (const b of this.buckets)
      if (b.second > oldest) {
        ok += b.ok
        failed += b.failed
      }
    return { ok, failed }
  }

  /** The failures still in the window, oldest first. */
  recentFailures(now: number): Evidence[] {
    return this.failures.filter((e) => e.at > now - this.windowMs).sort((a, b) => a.at - b.at)
  }

  reset(): void {
    for (const b of this.buckets) Object.assign(b, { second: -1, ok: 0, failed: 0 })
    this.failures = []
    this.clean = 0
    this.firstClean = null
    this.lastFailure = null
  }
}
