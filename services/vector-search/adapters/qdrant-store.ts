/**
 * The production `VectorStore`: Qdrant through `@qdrant/js-client-rest`. Collections hold the named
 * vectors `dense` and `sparse`; every write waits for Qdrant to apply it (`wait=true`), so the next
 * query sees it; writes are split under Qdrant's request limits (qdrant-store-batches.ts); a
 * replace is one `points/batch` request whenever it fits in one. Queries use the Query API: one
 * prefetch per leg with the filter inside each, fused by Qdrant (RRF or DBSF). RRF with a k other
 * than Qdrant's default 2 needs Qdrant ≥ 1.16 (`{rrf: {k}}`); on an older server the two legs are
 * fetched and fused here with the same formula. Equal scores are ordered by id here, as Qdrant
 * leaves their order open. Nothing here logs payloads or vectors.
 */
import { QdrantClient, type Schemas } from '@qdrant/js-client-rest'
import { abortable } from '../../../shared/abort.ts'
import type { OutcomeSink } from '../../../shared/outcomes/reporter.ts'
import { reportCall } from '../../../shared/outcomes/timed-call.ts'
import type {
  CollectionInfo,
  CollectionSpec,
  Filter,
  Point,
  Scope,
  ScoredPoint,
  VectorStore,
} from '../domain/store/ports.ts'
import { StoreError } from '../domain/store/ports.ts'
import {
  type BatchLimits,
  batchBytes,
  DEFAULT_BATCH_LIMITS,
  jsonBytes,
  sized,
  splitBatches,
} from './qdrant-store-batches.ts'
import { toStoreError } from './qdrant-store-errors.ts'
import { rankedQuery, toScored } from './qdrant-store-rank.ts'
import {
  checkVectors,
  createBody,
  indexBodies,
  pointBody,
  type QueryBody,
  scoped,
  specFromInfo,
} from './qdrant-store-wire.ts'

export interface QdrantStoreOptions {
  url: string
  apiKey?: string
  /** Every call to Qdrant gives up after this long (the client's own timeout). */
  timeoutMs: number
  batch?: Partial<BatchLimits>
  /** What a `unavailable` error tells callers to wait. */
  retryAfterS?: number
  /**
   * How long a collection's spec (tenant field, vector size) is trusted before it is read again. Short,
   * because another replica may delete and re-make a collection with a tenant field meanwhile.
   */
  specTtlMs?: number
  /**
   * Where each call's outcome is reported (the connectivity monitor): the client brings its own
   * undici agent, so calls are timed here rather than by an interceptor.
   */
  outcomes?: OutcomeSink
}

const SCROLL_PAGE = 1000

export function createQdrantStore(options: QdrantStoreOptions): VectorStore {
  // The API key goes in a header rather than `apiKey`, which would make the client warn on plain http
  // (Qdrant on the cluster's private network); `checkCompatibility` is off because it fires an
  // unawaited `GET /` that only logs — the version is read below when it matters.
  const client = new QdrantClient({
    url: options.url,
    timeout: options.timeoutMs,
    checkCompatibility: false,
    headers: options.apiKey ? { 'api-key': options.apiKey } : {},
  })
  const limits = { ...DEFAULT_BATCH_LIMITS, ...options.batch }
  const retryAfterS = options.retryAfterS ?? 5
  const specTtlMs = options.specTtlMs ?? 2000
  const specs = new Map<string, { spec: CollectionSpec; at: number }>()
  let version: Promise<string> | null = null

  async function call<T>(what: string, signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
    try {
      return await abortable(reportCall(options.outcomes, 'qdrant', run), signal)
    } catch (err) {
      throw toStoreError(err, what, retryAfterS)
    }
  }

  async function readSpec(name: string, signal?: AbortSignal): Promise<CollectionSpec | null> {
    const cached = specs.get(name)
    if (cached && performance.now() - cached.at < specTtlMs) return cached.spec
    try {
      const info = await call('read collection', signal, () => client.getCollection(name))
      const spec = specFromInfo(name, info)
      specs.set(name, { spec, at: performance.now() })
      return spec
    } catch (err) {
      if (err instanceof StoreError && err.code === 'collection_not_found') return null
      throw err
    }
  }

  /** The collection's spec and the filter every call on its points carries (the tenant's, when it has one). */
  async function resolve(scope: Scope, filter: Filter | undefined, signal?: AbortSignal) {
    let spec = await readSpec(scope.collection, signal)
    // A tenant for a collection cached without a tenant field: it may have been re-made since; look again.
    if (spec && !spec.tenantField && scope.tenant !== undefined) {
      specs.delete(scope.collection)
      spec = await readSpec(scope.collection, signal)
    }
    if (!spec) throw new StoreError('collection_not_found', `Collection ${scope.collection} does not exist.`)
    if (spec.tenantField && scope.tenant === undefined)
      throw new StoreError('tenant_required', `Collection ${scope.collection} needs a tenant on every call.`)
    return { spec, filter: scoped(filter, spec.tenantField, scope.tenant) }
  }

  async function count(name: string, filter: Schemas['Filter'] | undefined, signal?: AbortSignal) {
    const res = await call('count points', signal, () => client.count(name, { filter, exact: true }))
    return res.count
  }

  function wirePoints(spec: CollectionSpec, scope: Scope, points: Point[]) {
    for (const p of points) checkVectors(spec, p.dense, p.sparse)
    // The caller's tenant is written over whatever the payload claimed.
    const stamp = spec.tenantField && scope.tenant !== undefined ? { [spec.tenantField]: scope.tenant } : {}
    return sized(points.map((p) => pointBody({ ...p, payload: { ...p.payload, ...stamp } })))
  }

  async function serverVersion(signal?: AbortSignal): Promise<string> {
    version ??= call('read version', signal, () => client.versionInfo()).then(
      (v) => v.version,
      (err: unknown) => {
        version = null
        throw err
      },
    )
    return version
  }

  const supportsRrfK = async (signal?: AbortSignal) => {
    const [major = 0, minor = 0] = (await serverVersion(signal)).split('.').map(Number)
    return major > 1 || (major === 1 && minor >= 16)
  }

  async function send(name: string, body: QueryBody, withPayload: boolean, signal?: AbortSignal) {
    const res = await call('query', signal, () => client.query(name, body))
    return res.points.map((p) => toScored(p, withPayload))
  }

  return {
    kind: 'qdrant',

    async createCollection(spec, signal) {
      await call('create collection', signal, () => client.createCollection(spec.name, createBody(spec)))
      specs.delete(spec.name)
      try {
        for (const index of indexBodies(spec))
          await call('create payload index', signal, () =>
            client.createPayloadIndex(spec.name, { ...index, wait: true }),
          )
      } catch (err) {
        // A collection without its indexes (above all the tenant's) must not stay behind.
        await client.deleteCollection(spec.name).catch(() => undefined)
        throw err
      }
    },

    async listCollections(tenant, signal) {
      const { collections } = await call('list collections', signal, () => client.getCollections())
      const infos = await Promise.all(collections.map((c) => this.getCollection(c.name, tenant, signal)))
      return infos.filter((i): i is CollectionInfo => i !== null).sort((a, b) => (a.name < b.name ? -1 : 1))
    },

    async getCollection(name, tenant, signal) {
      specs.delete(name)
      const spec = await readSpec(name, signal)
      if (!spec) return null
      try {
        const filter = tenant === undefined ? undefined : scoped(undefined, spec.tenantField, tenant)
        return { ...spec, points: await count(name, filter, signal) }
      } catch (err) {
        if (err instanceof StoreError && err.code === 'collection_not_found') return null
        throw err
      }
    },

    async deleteCollection(name, signal) {
      specs.delete(name)
      const existed = (await readSpec(name, signal)) !== null
      specs.delete(name)
      if (!existed) return false
      return call('delete collection', signal, () => client.deleteCollection(name))
    },

    async upsert(scope, points, signal) {
      const { spec } = await resolve(scope, undefined, signal)
      for (const batch of splitBatches(wirePoints(spec, scope, points), limits)) {
        await call('upsert points', signal, () =>
          client.upsert(scope.collection, { wait: true, points: batch.map((s) => s.item) }),
        )
      }
    },

    async replace(scope, remove, points, signal) {
      const { spec, filter } = await resolve(scope, remove, signal)
      const batches = splitBatches(wirePoints(spec, scope, points), limits)
      // The new points are written first and the old ones removed after, sparing the new ids, so a
      // reader sees the old document or the new one (for a moment both when it spans requests), never
      // neither. When it fits, the whole replace is one `points/batch` request.
      const removeOld: Schemas['UpdateOperation'] = {
        delete: { filter: { must: filter ? [filter] : [], must_not: [{ has_id: points.map((p) => p.id) }] } },
      }
      const last = batches.pop() ?? []
      for (const batch of batches)
        await call('replace points', signal, () =>
          client.upsert(scope.collection, { wait: true, points: batch.map((s) => s.item) }),
        )
      const upsertLast: Schemas['UpdateOperation'][] =
        last.length > 0 ? [{ upsert: { points: last.map((s) => s.item) } }] : []
      const together = batchBytes(last) + jsonBytes(removeOld) <= limits.maxBytes
      const requests = together ? [[...upsertLast, removeOld]] : [upsertLast, [removeOld]]
      for (const operations of requests.filter((ops) => ops.length > 0))
        await call('replace points', signal, () =>
          client.batchUpdate(scope.collection, { wait: true, operations }),
        )
    },

    async deleteWhere(scope, filter, signal) {
      const resolved = await resolve(scope, filter, signal)
      // Counted first: Qdrant's delete answers with an operation id, not a number of points.
      const n = await count(scope.collection, resolved.filter, signal)
      if (n === 0) return 0
      await call('delete points', signal, () =>
        client.delete(scope.collection, { wait: true, filter: resolved.filter ?? { must: [] } }),
      )
      return n
    },

    async scroll(scope, filter, limit, signal) {
      const resolved = await resolve(scope, filter, signal)
      const out: ScoredPoint[] = []
      let offset: Schemas['ExtendedPointId'] | undefined
      while (out.length < limit) {
        const page = await call('scroll points', signal, () =>
          client.scroll(scope.collection, {
            filter: resolved.filter,
            limit: Math.min(SCROLL_PAGE, limit - out.length),
            offset,
            with_payload: true,
            with_vector: false,
          }),
        )
        for (const p of page.points)
          out.push({ id: String(p.id), score: 0, payload: (p.payload ?? {}) as Record<string, unknown> })
        if (page.next_page_offset == null) break
        offset = page.next_page_offset as Schemas['ExtendedPointId']
      }
      return out
    },

    async query(scope, q, signal) {
      const { spec, filter } = await resolve(scope, q.filter, signal)
      if (q.mode !== 'sparse') {
        if (!q.dense) throw new StoreError('bad_vector', `A ${q.mode} query needs a dense vector.`)
        checkVectors(spec, q.dense, undefined)
      }
      if (q.mode !== 'dense') {
        if (!q.sparse) throw new StoreError('bad_vector', `A ${q.mode} query needs a sparse vector.`)
        checkVectors(spec, undefined, q.sparse)
      }
      if (q.limit <= 0) return []
      const parametrisedRrf = q.mode === 'hybrid' && q.fusion.kind === 'rrf' && (await supportsRrfK(signal))
      return rankedQuery({ spec, q, filter, parametrisedRrf }, (body) =>
        send(scope.collection, body, q.withPayload, signal),
      )
    },

    async close() {
      specs.clear()
    },
  }
}
