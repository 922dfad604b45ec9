/**
 * `npm run bench:search-store`: the embedded vector store at 100,000 chunks of 1024-d (issue #11's
 * target: query p50 ≤ 20 ms on this machine). Loads the seeded corpus (bench/search-store-data.ts)
 * through `upsert` into a SQLite file in a temp dir, reopens it (the time to rebuild the in-memory
 * index), then times dense, sparse and hybrid (RRF, DBSF) queries, each without and with a
 * selective filter (5 % of chunks), interleaved so a burst of other work lands on all alike.
 *
 * Baseline, same run and same file: exact dense KNN by sqlite-vec (`vec_distance_cosine` over every
 * float vector), which is also the ground truth for recall@10 of the store's quantised dense path.
 * Prints a table, writes bench/results/search-store-<timestamp>.json (git-ignored); a missed target
 * is printed as MISSED and the exit code is non-zero only if the bench itself breaks.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import * as sqliteVec from 'sqlite-vec'
import { openEmbeddedStore } from '../services/vector-search/adapters/embedded-store.ts'
import type { QuerySpec, VectorStore } from '../services/vector-search/domain/store/ports.ts'
import { atLeast, atMost, table } from './report.ts'
import { writeResults } from './results.ts'
import { corpus, DIMS } from './search-store-data.ts'

const quick = process.env.BENCH_QUICK === '1'
const CONFIG = {
  chunks: Number(process.env.BENCH_STORE_CHUNKS ?? (quick ? 20_000 : 100_000)),
  batch: 256,
  queries: quick ? 40 : 200,
  recallQueries: quick ? 10 : 30,
  seed: 11,
}
const TARGETS = { hybridP50Ms: 20, insertPerS: 200 }
const COLLECTION = 'bench'
const FILTER = { must: [{ key: 'lang', match: { value: 'es' } }] }

interface Timing {
  p50Ms: number
  p95Ms: number
  cpuP50Ms: number
}

function summarise(wall: number[], cpu: number[]): Timing {
  const at = (list: number[], q: number) =>
    [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.ceil(q * list.length) - 1)]!
  return { p50Ms: at(wall, 0.5), p95Ms: at(wall, 0.95), cpuP50Ms: at(cpu, 0.5) }
}

async function load(store: VectorStore) {
  const data = corpus(CONFIG.seed)
  await store.createCollection({
    name: COLLECTION,
    dense: { size: DIMS, distance: 'Cosine' },
    sparse: { idf: false },
    indexes: [{ field: 'lang', type: 'keyword' }],
  })
  let writing = 0
  for (let from = 0; from < CONFIG.chunks; from += CONFIG.batch) {
    const points = data.batch(from, Math.min(CONFIG.batch, CONFIG.chunks - from))
    const t0 = performance.now()
    await store.upsert({ collection: COLLECTION }, points)
    writing += performance.now() - t0
  }
  return { writeS: writing / 1000, chunksPerS: CONFIG.chunks / (writing / 1000) }
}

const KINDS = {
  dense: { mode: 'dense' },
  'dense, filtered': { mode: 'dense', filter: FILTER },
  sparse: { mode: 'sparse' },
  'sparse, filtered': { mode: 'sparse', filter: FILTER },
  'hybrid RRF': { mode: 'hybrid' },
  'hybrid RRF, filtered': { mode: 'hybrid', filter: FILTER },
  'hybrid DBSF': { mode: 'hybrid', fusion: { kind: 'dbsf' } },
} satisfies Record<string, Partial<QuerySpec>>

async function queries(store: VectorStore, exact: (dense: number[]) => string[]) {
  const data = corpus(CONFIG.seed)
  const wall = new Map<string, number[]>()
  const cpu = new Map<string, number[]>()
  const time = async (kind: string, fn: () => unknown) => {
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    await fn()
    const c = process.cpuUsage(c0)
    wall.set(kind, [...(wall.get(kind) ?? []), performance.now() - t0])
    cpu.set(kind, [...(cpu.get(kind) ?? []), (c.user + c.system) / 1000])
  }
  let recallSum = 0
  for (let q = 0; q < CONFIG.queries; q++) {
    const near = Math.floor((q * 7919) % CONFIG.chunks)
    const legs = data.queryNear(near)
    for (const [kind, extra] of Object.entries(KINDS)) {
      const spec: QuerySpec = {
        ...legs,
        mode: 'hybrid',
        prefetchLimit: 40,
        fusion: { kind: 'rrf', k: 2 },
        limit: 10,
        offset: 0,
        withPayload: true,
        ...(extra as Partial<QuerySpec>),
      }
      await time(kind, () => store.query({ collection: COLLECTION }, spec))
    }
    if (q < CONFIG.recallQueries) {
      let truth: string[] = []
      await time('baseline: exact dense KNN (sqlite-vec)', () => {
        truth = exact(legs.dense)
      })
      const got = await store.query(
        { collection: COLLECTION },
        {
          ...legs,
          mode: 'dense',
          prefetchLimit: 10,
          fusion: { kind: 'rrf', k: 2 },
          limit: 10,
          offset: 0,
          withPayload: false,
        },
      )
      recallSum += got.filter((h) => truth.includes(h.id)).length / truth.length
    }
  }
  const timings = Object.fromEntries([...wall].map(([kind, list]) => [kind, summarise(list, cpu.get(kind)!)]))
  return { timings, recallAt10: recallSum / CONFIG.recallQueries }
}

/** sqlite-vec on its own connection to the same file: every float vector scored, top 10 kept. */
interface NativeDb {
  prepare(sql: string): { all(...params: unknown[]): unknown[] }
  loadExtension(path: string): void
  close(): void
}

async function exactSearch(path: string) {
  // better-sqlite3 ships no types; shared/sqlite.ts imports it the same way.
  const specifier = 'better-sqlite3'
  const { default: Database } = (await import(specifier)) as {
    default: new (path: string, options: { readonly: boolean }) => NativeDb
  }
  const db = new Database(path, { readonly: true })
  db.loadExtension(sqliteVec.getLoadablePath())
  const statement = db.prepare(
    `SELECT id FROM points WHERE collection = ? ORDER BY vec_distance_cosine(dense, ?) LIMIT 10`,
  )
  const search = (dense: number[]) =>
    (statement.all(COLLECTION, Buffer.from(Float32Array.from(dense).buffer)) as { id: string }[]).map(
      (r) => r.id,
    )
  return { search, close: () => db.close() }
}

async function main() {
  const startedAt = new Date()
  const root = await mkdtemp(join(tmpdir(), 'search-store-bench-'))
  const path = join(root, 'vectors.db')
  try {
    console.log(`loading ${CONFIG.chunks} chunks of ${DIMS}-d …`)
    const first = await openEmbeddedStore({ path })
    const insert = await load(first)
    await first.close()
    // Typed arrays (the sign bits, the postings) live outside the JS heap: count both.
    const held = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers
    const heap0 = held()
    const t0 = performance.now()
    const c0 = process.cpuUsage()
    const store = await openEmbeddedStore({ path })
    const openS = (performance.now() - t0) / 1000
    const openCpu = process.cpuUsage(c0)
    const openCpuS = (openCpu.user + openCpu.system) / 1e6
    const indexMb = (held() - heap0) / 2 ** 20
    const exact = await exactSearch(path)
    console.log(`querying (${CONFIG.queries} queries per kind) …`)
    const { timings, recallAt10 } = await queries(store, exact.search)
    exact.close()
    await store.close()
    const fileMb = (await stat(path)).size / 2 ** 20
    const baseline = timings['baseline: exact dense KNN (sqlite-vec)']!
    const n = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '—')
    const rows = Object.entries(timings).map(([kind, t]) => [
      kind,
      n(t.p50Ms),
      n(t.p95Ms),
      n(t.cpuP50Ms),
      n(baseline.p50Ms / t.p50Ms),
    ])
    const targets = [
      atMost('hybrid RRF query p50', timings['hybrid RRF']!.p50Ms, TARGETS.hybridP50Ms, 'ms'),
      atMost('hybrid RRF, filtered p50', timings['hybrid RRF, filtered']!.p50Ms, TARGETS.hybridP50Ms, 'ms'),
      atLeast('insert throughput', insert.chunksPerS, TARGETS.insertPerS, ' chunks/s'),
    ]
    console.log(
      [
        '',
        table([
          ['query (limit 10, prefetch 40)', 'p50 ms', 'p95 ms', 'CPU p50 ms', '× faster than exact'],
          ...rows,
        ]),
        '',
        `recall@10 of the quantised dense path vs exact: ${n(recallAt10 * 100)} % (${CONFIG.recallQueries} queries)`,
        `insert: ${n(insert.chunksPerS, 0)} chunks/s through upsert (batches of ${CONFIG.batch}, ${n(insert.writeS)} s)`,
        `reopen (index rebuilt from SQLite): ${n(openS, 2)} s (CPU ${n(openCpuS, 2)} s), index memory ≈ ${n(indexMb, 0)} MB (heap + typed arrays); file ${n(fileMb, 0)} MB`,
        `load average at the end: ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
        '',
        table([
          ['target', 'value', 'goal', ''],
          ...targets.map((t) => [t.figure, n(t.value), t.target, t.met ? 'met' : 'MISSED']),
        ]),
      ].join('\n'),
    )
    const file = await writeResults(
      'search-store',
      startedAt,
      { ...CONFIG, loadavg: loadavg() },
      { timings, recallAt10, insert, openS, openCpuS, indexMb, fileMb, targets },
    )
    console.log(`\nwritten to ${file}`)
  } finally {
    await rm(root, { recursive: true, force: true })
  }
}

await main()
