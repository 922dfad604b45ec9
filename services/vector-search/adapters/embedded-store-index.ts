/**
 * One collection of the embedded store, in memory: what a query reads on every call. SQLite holds
 * the truth (embedded-store.ts); this index is rebuilt from it at open and updated after each commit.
 *
 * Per slot (append-only; a rewritten point takes a new slot, the old one dies): the point id, its
 * SQLite rowid, tenant, payload, and the sign bits of its dense vector (1024 dims → 128 bytes, so
 * 100,000 points take 12.8 MB); the float vectors stay in SQLite and are read only for the few
 * candidates the coarse search keeps. The sparse vectors live in an inverted index (postings).
 */
import type { LegHit } from '../domain/store/fusion.ts'
import type { CollectionSpec } from '../domain/store/ports.ts'
import { Postings } from './embedded-store-postings.ts'
import { TopK } from './embedded-store-top.ts'
import { popcount, wordsFor } from './embedded-store-vectors.ts'

export interface IndexedPoint {
  rowid: number
  id: string
  tenant: string | null
  payload: Record<string, unknown>
  bits: Uint32Array
  sparse: { indices: ArrayLike<number>; values: ArrayLike<number> }
}

/** Says whether a slot may be returned to this caller (alive, same tenant, filter holds). */
export type Eligible = (slot: number) => boolean

const NO_DISTANCE = 0xffff
/** Words of sign bits the first step of the coarse search compares, and how many it keeps per result. */
const PREFIX_WORDS = 8
const WIDEN = 8

export class CollectionIndex {
  readonly words: number
  private capacity = 1024
  slots = 0
  liveCount = 0
  live = new Uint8Array(this.capacity)
  private bits: Uint32Array
  private rowids = new Float64Array(this.capacity)
  private tenantOf = new Int32Array(this.capacity)
  readonly ids: string[] = []
  readonly payloads: (Record<string, unknown> | null)[] = []
  private readonly slotById = new Map<string, number>()
  private readonly postings = new Postings()
  private readonly tenantCodes = new Map<string, number>()
  private readonly perTenant = new Map<number, number>()

  constructor(readonly spec: CollectionSpec) {
    this.words = wordsFor(spec.dense.size)
    this.bits = new Uint32Array(this.capacity * this.words)
  }

  add(point: IndexedPoint): void {
    const old = this.slotById.get(point.id)
    if (old !== undefined) this.remove(old)
    if (this.slots === this.capacity) this.grow()
    const slot = this.slots++
    this.live[slot] = 1
    this.bits.set(point.bits, slot * this.words)
    this.rowids[slot] = point.rowid
    const code = point.tenant === null ? 0 : this.codeFor(point.tenant, true)
    this.tenantOf[slot] = code
    this.perTenant.set(code, (this.perTenant.get(code) ?? 0) + 1)
    this.ids[slot] = point.id
    this.payloads[slot] = point.payload
    this.slotById.set(point.id, slot)
    this.postings.add(slot, point.sparse.indices, point.sparse.values)
    this.liveCount++
  }

  remove(slot: number): void {
    if (this.live[slot] === 0) return
    this.live[slot] = 0
    const code = this.tenantOf[slot]!
    this.perTenant.set(code, (this.perTenant.get(code) ?? 1) - 1)
    this.slotById.delete(this.ids[slot]!)
    this.payloads[slot] = null
    this.liveCount--
  }

  rowidOf = (slot: number) => this.rowids[slot]!

  /** More than half the slots dead: the caller rebuilds the index from SQLite. */
  needsCompaction(): boolean {
    return this.slots > 4096 && this.liveCount < this.slots / 2
  }

  count(tenant: string | undefined): number {
    if (tenant === undefined || !this.spec.tenantField) return this.liveCount
    const code = this.tenantCodes.get(tenant)
    return code === undefined ? 0 : (this.perTenant.get(code) ?? 0)
  }

  /** The tenant's code, or -1 when it owns no point (nothing can match). 0 means no tenant check. */
  tenantCode(tenant: string | undefined): number {
    if (!this.spec.tenantField || tenant === undefined) return 0
    return this.codeFor(tenant, false)
  }

  /** The predicate for a caller; `test` (payload filter) runs at most once per slot. */
  eligible(tenant: number, test: ((slot: number) => boolean) | null): Eligible {
    const { live, tenantOf } = this
    if (!test) return (slot) => live[slot] === 1 && (tenant === 0 || tenantOf[slot] === tenant)
    const memo = new Uint8Array(this.slots)
    return (slot) => {
      if (live[slot] === 0 || (tenant !== 0 && tenantOf[slot] !== tenant)) return false
      if (memo[slot] === 0) memo[slot] = test(slot) ? 1 : 2
      return memo[slot] === 1
    }
  }

  matching(eligible: Eligible): number[] {
    const out: number[] = []
    for (let slot = 0; slot < this.slots; slot++) if (eligible(slot)) out.push(slot)
    return out
  }

  /**
   * The `want` eligible slots nearest the query by Hamming distance of sign bits, in two steps: the
   * first PREFIX_WORDS words (256 dims) of every slot pick WIDEN × `want` survivors, whose full
   * distance picks the `want` (a quarter of the scan's work for the same recall on bge-m3-like data;
   * bench/search-store.ts measures it). Distances are counted into buckets, so each cut-off is found
   * without sorting; a filter that rejects many candidates widens the cut-off until enough pass.
   */
  nearestByBits(query: Uint32Array, tenant: number, eligible: Eligible, want: number): number[] {
    const prefix = Math.min(this.words, PREFIX_WORDS)
    if (prefix === this.words) return this.scan(query, tenant, eligible, want, prefix)
    const survivors = this.scan(query, tenant, eligible, want * WIDEN, prefix)
    if (survivors.length <= want) return survivors
    const { words, bits } = this
    const full = new Uint16Array(this.slots)
    for (const slot of survivors) {
      let d = 0
      const base = slot * words
      for (let w = 0; w < words; w++) d += popcount(bits[base + w]! ^ query[w]!)
      full[slot] = d
    }
    survivors.sort((a, b) => full[a]! - full[b]!).length = want
    return survivors
  }

  /** The `want` eligible slots nearest by the Hamming distance of their first `prefix` words. */
  private scan(
    query: Uint32Array,
    tenant: number,
    eligible: Eligible,
    want: number,
    prefix: number,
  ): number[] {
    const { words, bits, live, tenantOf, slots } = this
    const dist = new Uint16Array(slots)
    const buckets = new Uint32Array(prefix * 32 + 2)
    for (let slot = 0; slot < slots; slot++) {
      if (live[slot] === 0 || (tenant !== 0 && tenantOf[slot] !== tenant)) {
        dist[slot] = NO_DISTANCE
        continue
      }
      let d = 0
      const base = slot * words
      for (let w = 0; w < prefix; w++) d += popcount(bits[base + w]! ^ query[w]!)
      dist[slot] = d
      buckets[d]!++
    }
    const found: number[] = []
    let below = -1
    let need = want
    let examined = 0
    while (found.length < want && below < buckets.length - 1) {
      let cut = below
      let seen = 0
      while (cut < buckets.length - 1 && seen < need) seen += buckets[++cut]!
      for (let slot = 0; slot < slots; slot++) {
        const d = dist[slot]!
        if (d > below && d <= cut && eligible(slot)) found.push(slot)
      }
      below = cut
      examined += seen
      // The next band is sized by the share that passed so far, so a selective filter needs few passes.
      need =
        found.length === 0 ? need * 8 : Math.ceil(((want - found.length) * examined * 1.25) / found.length)
    }
    if (found.length > want) found.sort((a, b) => dist[a]! - dist[b]!).length = want
    return found
  }

  /** The sparse leg: exact dot products, best `want` eligible slots. */
  sparseTop(query: { indices: number[]; values: number[] }, eligible: Eligible, want: number): LegHit[] {
    const scores = new Float64Array(this.slots)
    const seen = new Uint8Array(this.slots)
    const touched: number[] = []
    const idfOver = this.spec.sparse.idf ? this.liveCount : null
    this.postings.score(query, this.live, idfOver, scores, touched, seen)
    const top = new TopK(want)
    for (const slot of touched)
      if (top.admits(scores[slot]!) && eligible(slot))
        top.offer({ key: slot, id: this.ids[slot]!, score: scores[slot]! })
    return top.sorted()
  }

  private codeFor(tenant: string, create: boolean): number {
    let code = this.tenantCodes.get(tenant)
    if (code === undefined) {
      if (!create) return -1
      code = this.tenantCodes.size + 1
      this.tenantCodes.set(tenant, code)
    }
    return code
  }

  private grow(): void {
    this.capacity *= 2
    const live = new Uint8Array(this.capacity)
    live.set(this.live)
    this.live = live
    const bits = new Uint32Array(this.capacity * this.words)
    bits.set(this.bits)
    this.bits = bits
    const rowids = new Float64Array(this.capacity)
    rowids.set(this.rowids)
    this.rowids = rowids
    const tenantOf = new Int32Array(this.capacity)
    tenantOf.set(this.tenantOf)
    this.tenantOf = tenantOf
  }
}
