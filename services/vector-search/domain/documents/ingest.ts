/**
 * Ingesting prepared documents into a collection. For each document the chunks already stored are
 * read back (ids and payload) and compared with the plan: the same ids with the same payload is
 * `unchanged` — no embedding call, no write. Otherwise only the chunks the store lacks (or holds
 * with another payload) are embedded, and the document's stored chunks are switched to the new set
 * in the store's one `replace` step. Every chunk of a wave is embedded before anything of it is
 * written, so an embeddings server that fails writes nothing.
 *
 * A document with more points than one write request holds goes in several: the new points first
 * (new ids, beside the old ones), then the last batch with the removal of the old chunks. If a write
 * fails, the points that step added are removed again, so the document stays as it was.
 */
import type { Embedder } from '../embed/ports.ts'
import { EmbedderError } from '../embed/ports.ts'
import type { Filter, Point, Scope, ScoredPoint, VectorStore } from '../store/ports.ts'
import { type BatchLimits, batchesOf, pointBytes, textBytes } from './batches.ts'
import { createKeyedLock } from './keyed-lock.ts'
import { canonicalJson, type PlannedChunk, type PreparedDocument } from './prepare.ts'

export interface IngestSettings {
  embedBatch: BatchLimits
  storeBatch: BatchLimits
  /** Chunks embedded and written per wave; a sync ingest is at most one wave (all-or-nothing). */
  waveChunks: number
}

export type DocumentStatus = 'created' | 'replaced' | 'unchanged'

export interface DocumentOutcome {
  id: string
  status: DocumentStatus
  chunks: number
  embedded: number
}

export interface IngestTimings {
  plan_ms: number
  embed_ms: number
  write_ms: number
}

export interface IngestOptions {
  signal?: AbortSignal
  /** Called as each document is fully written (or found unchanged). */
  onDocument?: (outcome: DocumentOutcome) => void
}

export interface Ingester {
  ingest(
    scope: Scope,
    documents: readonly PreparedDocument[],
    options?: IngestOptions,
  ): Promise<{ documents: DocumentOutcome[]; timings: IngestTimings }>
}

interface DocumentPlan {
  doc: PreparedDocument
  existing: ScoredPoint[]
  fresh: PlannedChunk[]
  stale: number
}

export const docFilter = (docId: string): Filter => ({ must: [{ key: 'doc_id', match: { value: docId } }] })

/** Documents grouped so each group holds at most `waveChunks` chunks (a bigger document alone). */
export function wavesOf(documents: readonly PreparedDocument[], waveChunks: number): PreparedDocument[][] {
  return batchesOf(
    documents,
    { maxCount: Number.POSITIVE_INFINITY, maxBytes: waveChunks },
    (d) => d.chunks.length,
  )
}

export function createIngester(deps: {
  store: VectorStore
  embedder: Embedder
  settings: IngestSettings
}): Ingester {
  const { store, embedder, settings } = deps
  const lock = createKeyedLock()

  async function plan(scope: Scope, doc: PreparedDocument, signal?: AbortSignal): Promise<DocumentPlan> {
    const existing = await store.scroll(scope, docFilter(doc.id), doc.chunks.length + 1, signal)
    const stored = new Map(existing.map((p) => [p.id, canonicalJson(p.payload ?? {})]))
    const fresh = doc.chunks.filter((c) => stored.get(c.id) !== canonicalJson(c.payload))
    const planned = new Set(doc.chunks.map((c) => c.id))
    return { doc, existing, fresh, stale: existing.filter((p) => !planned.has(p.id)).length }
  }

  async function embed(chunks: PlannedChunk[], signal?: AbortSignal): Promise<Map<string, Point>> {
    const points = new Map<string, Point>()
    for (const batch of batchesOf(chunks, settings.embedBatch, (c) => textBytes(c.text))) {
      const texts = batch.map((c) => c.text)
      const out = await embedder.embed(texts, { dense: true, sparse: true }, signal)
      if (out.dense?.length !== texts.length || out.sparse?.length !== texts.length)
        throw new EmbedderError('malformed', 'the embeddings server answered a different number of vectors')
      batch.forEach((c, i) => {
        points.set(c.id, { id: c.id, dense: out.dense![i]!, sparse: out.sparse![i]!, payload: c.payload })
      })
    }
    return points
  }

  async function write(scope: Scope, plan: DocumentPlan, points: Map<string, Point>, signal?: AbortSignal) {
    const remove: Filter = {
      ...docFilter(plan.doc.id),
      must_not: [{ has_id: plan.doc.chunks.map((c) => c.id) }],
    }
    const fresh = plan.fresh.map((c) => points.get(c.id)!)
    if (fresh.length === 0) return void (await store.deleteWhere(scope, remove, signal))
    const batches = batchesOf(fresh, settings.storeBatch, pointBytes)
    const before = new Set(plan.existing.map((p) => p.id))
    const added: string[] = []
    try {
      for (const batch of batches.slice(0, -1)) {
        await store.upsert(scope, batch, signal)
        added.push(...batch.map((p) => p.id).filter((id) => !before.has(id)))
      }
      await store.replace(scope, remove, batches[batches.length - 1]!, signal)
    } catch (err) {
      if (added.length > 0) await store.deleteWhere(scope, { must: [{ has_id: added }] }).catch(() => {})
      throw err
    }
  }

  async function wave(
    scope: Scope,
    docs: PreparedDocument[],
    timings: IngestTimings,
    options: IngestOptions,
  ) {
    const { signal } = options
    let started = performance.now()
    const plans: DocumentPlan[] = []
    for (const doc of docs) plans.push(await plan(scope, doc, signal))
    timings.plan_ms += performance.now() - started
    started = performance.now()
    const points = await embed(
      plans.flatMap((p) => p.fresh),
      signal,
    )
    timings.embed_ms += performance.now() - started
    started = performance.now()
    const outcomes: DocumentOutcome[] = []
    for (const p of plans) {
      const unchanged = p.fresh.length === 0 && p.stale === 0
      if (!unchanged) await write(scope, p, points, signal)
      const status: DocumentStatus =
        p.existing.length === 0 ? 'created' : unchanged ? 'unchanged' : 'replaced'
      const outcome = { id: p.doc.id, status, chunks: p.doc.chunks.length, embedded: p.fresh.length }
      outcomes.push(outcome)
      options.onDocument?.(outcome)
    }
    timings.write_ms += performance.now() - started
    return outcomes
  }

  return {
    async ingest(scope, documents, options = {}) {
      const timings: IngestTimings = { plan_ms: 0, embed_ms: 0, write_ms: 0 }
      const outcomes: DocumentOutcome[] = []
      for (const docs of wavesOf(documents, settings.waveChunks)) {
        const keys = docs.map((d) => JSON.stringify([scope.collection, scope.tenant ?? null, d.id]))
        outcomes.push(...(await lock.run(keys, () => wave(scope, docs, timings, options))))
      }
      return { documents: outcomes, timings: roundTimings(timings) }
    },
  }
}

function roundTimings(t: IngestTimings): IngestTimings {
  const round = (ms: number) => Math.round(ms * 10) / 10
  return { plan_ms: round(t.plan_ms), embed_ms: round(t.embed_ms), write_ms: round(t.write_ms) }
}
