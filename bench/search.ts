/**
 * `npm run bench:search`: issue #11's two performance targets for vector-search.
 *
 * (a) Hybrid query overhead over the store call ≤ 5 ms p50 (bench/search-query.ts): the query
 *     route of a service built in this process on the embedded store, minus the store's own query
 *     with the same vectors, measured in turn.
 * (b) Ingestion ≥ 200 chunks/s with the simulator's embedder (bench/search-ingest.ts): the
 *     documents route of a vector-search process, against the embedder alone on the same chunks.
 *
 * The embeddings server is the simulated bge-m3 started here, or `EMBED_URL`; the ingest part also
 * runs on Qdrant when `QDRANT_URL` is set (tools/search-eval/target.ts starts the service). Prints a
 * table, writes `bench/results/search-<timestamp>.json` (git-ignored); a missed target is printed as
 * MISSED, and the exit code is non-zero only if the bench itself breaks.
 */
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { openEmbeddedStore } from '../services/vector-search/adapters/embedded-store.ts'
import { createEmbedModels } from '../services/vector-search/adapters/embedder-from-config.ts'
import { createVectorUpstreams } from '../services/vector-search/adapters/upstreams.ts'
import { buildApp } from '../services/vector-search/app.ts'
import { loadVectorConfig } from '../services/vector-search/config.ts'
import { chunkDocument } from '../services/vector-search/domain/documents/chunking.ts'
import { silentLogger } from '../shared/logger.ts'
import { httpSearchClient } from '../tools/search-eval/client.ts'
import { loadEvalSet } from '../tools/search-eval/dataset.ts'
import { startTarget } from '../tools/search-eval/target.ts'
import { startBgeM3 } from '../tools/spark-sim/embeddings/bge-m3.ts'
import { atLeast, atMost, type TargetCheck, table } from './report.ts'
import { writeResults } from './results.ts'
import { benchDocuments } from './search-docs.ts'
import { type IngestThroughput, measureIngest } from './search-ingest.ts'
import { measureQueryOverhead, type QueryOverhead } from './search-query.ts'

/** `BENCH_QUICK=1`: smaller everything, to try the bench itself. */
const quick = process.env.BENCH_QUICK === '1'
const CONFIG = {
  ingestRounds: quick ? 2 : 4,
  ingestDocumentsPerRound: quick ? 30 : 100,
  documentsPerRequest: 25,
  storeDocuments: quick ? 300 : 1000,
  queryRounds: quick ? 3 : 10,
}
const TARGETS = { queryOverheadP50Ms: 5, ingestChunksPerS: 200 }

const config = loadVectorConfig(process.env)
const chunking = { sizeTokens: config.CHUNK_TOKENS, overlapTokens: config.CHUNK_OVERLAP_TOKENS }
const embedBatch = { maxCount: config.INGEST_EMBED_BATCH, maxBytes: config.INGEST_EMBED_BATCH_BYTES }
/** The embedder and reranker as services/vector-search/main.ts builds them. */
const modelsFor = (baseUrl: string) => createEmbedModels({ ...config, EMBED_URL: baseUrl })
const log = (line: string) => console.log(`  ${line}`)

async function ingestPart(set: Awaited<ReturnType<typeof loadEvalSet>>): Promise<IngestThroughput> {
  const target = await startTarget(process.env)
  try {
    if (!target.embedUrl) throw new Error('the ingest baseline needs EMBED_URL with SEARCH_EVAL_URL')
    const client = httpSearchClient(target.url, { apiKey: process.env.SEARCH_EVAL_API_KEY || undefined })
    const collection = `bench_ingest_${randomUUID().slice(0, 8)}`
    const run = randomUUID().slice(0, 8)
    await client.createCollection(collection)
    try {
      return await measureIngest({
        client,
        embedder: modelsFor(target.embedUrl).embedder,
        collection,
        rounds: Array.from({ length: CONFIG.ingestRounds }, (_, r) =>
          benchDocuments(set.passages, CONFIG.ingestDocumentsPerRound, `${run}-r${r}`, 7 + r),
        ),
        chunking,
        embedBatch,
        documentsPerRequest: CONFIG.documentsPerRequest,
        warmUp: benchDocuments(set.passages, CONFIG.documentsPerRequest, `${run}-warm`, 5),
        servicePid: target.pid,
        log,
      })
    } finally {
      await client.deleteCollection(collection)
    }
  } finally {
    await target.stop()
  }
}

async function queryPart(
  set: Awaited<ReturnType<typeof loadEvalSet>>,
): Promise<QueryOverhead & { points: number }> {
  const sim = process.env.EMBED_URL ? null : await startBgeM3({ host: '127.0.0.1', port: 0 })
  const dir = await mkdtemp(join(tmpdir(), 'search-bench-'))
  const store = await openEmbeddedStore({ path: join(dir, 'vectors.db') })
  try {
    const embedUrl = process.env.EMBED_URL || sim!.url
    const { embedder, reranker } = modelsFor(embedUrl)
    const collection = 'bench_query'
    await store.createCollection({
      name: collection,
      dense: { size: embedder.dim, distance: 'Cosine' },
      sparse: { idf: false },
      indexes: [],
    })
    const docs = benchDocuments(set.passages, CONFIG.storeDocuments, 'q')
    let points = 0
    for (let i = 0; i < docs.length; i += CONFIG.documentsPerRequest) {
      const chunks = docs
        .slice(i, i + CONFIG.documentsPerRequest)
        .flatMap((d) => chunkDocument(d.text, chunking).map((c, n) => ({ doc: d.id, n, text: c.text })))
      const vectors = await embedder.embed(
        chunks.map((c) => c.text),
        { dense: true, sparse: true },
      )
      await store.upsert(
        { collection },
        chunks.map((c, k) => ({
          id: randomUUID(),
          dense: vectors.dense![k]!,
          sparse: vectors.sparse![k]!,
          payload: { doc_id: c.doc, chunk_index: c.n, text: c.text },
        })),
      )
      points += chunks.length
    }
    log(`query part: ${points} chunks in the embedded store`)
    const texts = set.queries.map((q) => q.text)
    const qv = await embedder.embed(texts, { dense: true, sparse: true })
    const queries = texts.map((text, i) => ({ text, dense: qv.dense![i]!, sparse: qv.sparse![i]! }))
    const serviceConfig = loadVectorConfig({ ...process.env, EMBED_URL: embedUrl, VECTOR_STORE: 'embedded' })
    const app = buildApp({
      config: serviceConfig,
      logger: silentLogger(),
      upstreams: createVectorUpstreams(serviceConfig),
      store,
      embedder,
      reranker,
    })
    const overhead = await measureQueryOverhead({
      app,
      store,
      collection,
      queries,
      embed: (text) => embedder.embed([text], { dense: true, sparse: true }),
      rounds: CONFIG.queryRounds,
    })
    return { ...overhead, points }
  } finally {
    await store.close()
    await sim?.close()
    await rm(dir, { recursive: true, force: true })
  }
}

const n = (v: number | undefined, digits = 2) =>
  v !== undefined && Number.isFinite(v) ? v.toFixed(digits) : '—'

function render(
  query: (QueryOverhead & { points: number }) | null,
  ingest: IngestThroughput | null,
  targets: TargetCheck[],
) {
  const parts: string[] = []
  if (query) {
    const row = (what: string, t: QueryOverhead['route']) => [
      what,
      n(t.p50Ms, 3),
      n(t.p90Ms, 3),
      n(t.p99Ms, 3),
      n(t.cpuP50Ms, 3),
      String(t.runs),
    ]
    parts.push(
      table([
        ['hybrid query (ms)', 'p50', 'p90', 'p99', 'CPU p50', 'runs'],
        row('route, vectors in the request', query.route),
        row('store.query, same vectors (baseline)', query.store),
        row('route, query as text (embeds it)', query.routeText),
        row('embedder call alone', query.embed),
      ]),
      `overhead over the store call: p50 ${n(query.overheadP50Ms, 3)} ms (median of per-query differences ${n(query.pairedOverheadP50Ms, 3)} ms, CPU ${n(query.cpuOverheadP50Ms, 3)} ms); ` +
        `with the query as text, route − embed − store = ${n(query.textOverheadP50Ms, 3)} ms\n` +
        `${query.points} chunks, ${query.queries} queries; route and store gave the same hits: ${query.sameAnswers ? 'yes' : 'NO'}`,
    )
  }
  if (ingest)
    parts.push(
      table([
        ['ingestion', 'chunks', 'seconds', 'chunks/s'],
        [
          'documents route',
          String(ingest.chunks),
          n(ingest.chunks / ingest.routeChunksPerS, 2),
          n(ingest.routeChunksPerS, 0),
        ],
        [
          'embedder alone (baseline)',
          String(ingest.chunks),
          n(ingest.chunks / ingest.embedChunksPerS, 2),
          n(ingest.embedChunksPerS, 0),
        ],
      ]),
      `route throughput = ${n(ingest.ratio, 2)} × the embedder's alone; ` +
        `${n(ingest.chunksPerServiceCpuS ?? Number.NaN, 0)} chunks per CPU-second of the service process\n` +
        `the service's own timings, summed (s): ` +
        Object.entries(ingest.service)
          .map(([stage, ms]) => `${stage.replace(/_ms$/, '')} ${n(ms / 1000, 2)}`)
          .join(', '),
    )
  parts.push(
    table([
      ['target', 'measured', 'goal', ''],
      ...targets.map((t) => [t.figure, n(t.value, 2), t.target, t.met ? 'met' : 'MISSED']),
    ]),
  )
  return parts.join('\n\n')
}

async function main() {
  const startedAt = new Date()
  const set = await loadEvalSet()
  const loadStart = loadavg()[0]!
  console.log(
    `search bench${quick ? ' (quick)' : ''}: load ${n(loadStart)}, embedder ${process.env.EMBED_URL ?? 'simulated bge-m3'}`,
  )
  const failures: string[] = []
  const attempt = async <T>(what: string, fn: () => Promise<T>): Promise<T | null> => {
    try {
      return await fn()
    } catch (err) {
      failures.push(`${what}: ${(err as Error).message}`)
      return null
    }
  }
  const query = await attempt('query overhead', () => queryPart(set))
  const ingest = await attempt('ingestion', () => ingestPart(set))
  const targets = [
    ...(query
      ? [
          atMost(
            'hybrid query overhead over the store, p50 (ms)',
            query.overheadP50Ms,
            TARGETS.queryOverheadP50Ms,
            'ms',
          ),
        ]
      : []),
    ...(ingest
      ? [
          atLeast(
            'ingestion, simulated embedder (chunks/s)',
            ingest.routeChunksPerS,
            TARGETS.ingestChunksPerS,
            ' chunks/s',
          ),
        ]
      : []),
  ]
  console.log(`\n${render(query, ingest, targets)}\n`)
  for (const f of failures) console.log(`not measured — ${f}`)
  const meta = {
    quick,
    config: CONFIG,
    chunking,
    loadAvg1mStart: loadStart,
    loadAvg1mEnd: loadavg()[0],
    embedder: process.env.EMBED_URL ?? 'simulated',
  }
  const file = await writeResults('search', startedAt, meta, { query, ingest, targets, failures })
  console.log(`results: ${file}`)
  if (failures.length > 0) process.exitCode = 1
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
