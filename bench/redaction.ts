/**
 * `npm run bench:redaction`: how long the redaction-gateway takes over one long transcript. Issue
 * #10's targets: a 10,000-word transcript scrubbed in ≤ 250 ms p50 under `rules_only`, and
 * rehydrated in ≤ 20 ms p50; words per second reported.
 *
 * The transcript is generated (bench/redaction-transcript.ts, seeded). It is scrubbed through the
 * real pipeline (`scrub()` with the rule detectors) into a real encrypted SQLite map store in a
 * temp dir, one new map per scrub, and the scrubbed text is rehydrated from that map; the same
 * request also goes through the `/scrub` and `/rehydrate` routes in-process (`app.request`: the
 * JSON parsing, validation and serialising around the pipeline). Then every stage is timed on its
 * own (bench/redaction-stages.ts). The baseline, measured in the same run, is one regex pass over
 * the same text: the scrub's time in those units does not depend on how busy the machine is.
 *
 * Prints a table, writes `bench/results/redaction-<timestamp>.json` (git-ignored); a missed target
 * is printed as MISSED and the exit code is non-zero only if the bench itself breaks.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { openMapStore } from '../services/redaction-gateway/adapters/map-store.ts'
import { buildApp } from '../services/redaction-gateway/app.ts'
import { loadRedactionConfig } from '../services/redaction-gateway/config.ts'
import { RULE_DETECTORS } from '../services/redaction-gateway/domain/scrub/detectors.ts'
import { type ScrubInput, scrub } from '../services/redaction-gateway/domain/scrub/pipeline.ts'
import { restorerFor } from '../services/redaction-gateway/domain/scrub/restore.ts'
import { silentLogger } from '../shared/logger.ts'
import { type Stage, stageBreakdown, type Timing, timedTogether } from './redaction-stages.ts'
import { KNOWN_PERSONS, transcript, wordCount } from './redaction-transcript.ts'
import { atMost, table } from './report.ts'
import { writeResults } from './results.ts'

/** `BENCH_QUICK=1`: fewer runs of everything, to try the bench itself. */
const quick = process.env.BENCH_QUICK === '1'
const CONFIG = {
  words: Number(process.env.BENCH_REDACTION_WORDS ?? 10_000),
  runs: quick ? 7 : 31,
  stageRuns: quick ? 5 : 15,
  routeRuns: quick ? 5 : 15,
}
const TARGETS = { scrubP50Ms: 250, rehydrateP50Ms: 20 }

type Store = Awaited<ReturnType<typeof openMapStore>>

async function withStore<T>(fn: (store: Store, root: string) => Promise<T>): Promise<T> {
  const root = await mkdtemp(join(tmpdir(), 'redaction-bench-'))
  const store = await openMapStore({
    path: join(root, 'maps.db'),
    key: Buffer.alloc(32, 7),
    ttlS: 3600,
    sweepEveryMs: 0,
  })
  try {
    return await fn(store, root)
  } finally {
    store.close()
    await rm(root, { recursive: true, force: true })
  }
}

function input(text: string): ScrubInput {
  return {
    taskId: 'bench',
    items: [{ id: 'transcript', text }],
    knownEntities: { persons: KNOWN_PERSONS },
    tier1Action: 'drop',
    ner: 'rules_only',
  }
}

/**
 * The pipeline in this process: scrub (new map each time) and rehydrate of the scrubbed text, in
 * turn with the baseline (one regex pass over the same text).
 */
function pipelineFigures(text: string, store: Store) {
  const limits = { maxItems: 10, maxItemChars: 1_000_000 }
  const deps = { detectors: RULE_DETECTORS, store, limits }
  const first = scrub(input(text), deps)
  const scrubbed = first.items[0]!.scrubbedText
  const restorer = restorerFor(first.mapHandle, store)
  const roundTrip = restorer.restore(scrubbed).text === text
  const timings = timedTogether(
    {
      baseline: () => text.match(/\p{Lu}\p{Ll}+/gu)?.length,
      scrub: () => scrub(input(text), deps),
      rehydrate: () => restorerFor(first.mapHandle, store).restore(scrubbed),
    },
    CONFIG.runs,
    3,
  )
  return {
    ...timings,
    roundTrip,
    tokens: first.tier2Tokenized,
    distinct: first.distinctEntities,
    tier1Dropped: first.tier1Dropped,
    types: first.typeCounts,
  }
}

async function timedAsync(fn: () => Promise<unknown>, runs: number): Promise<Timing> {
  for (let i = 0; i < 2; i++) await fn()
  const wall: number[] = []
  const cpu: number[] = []
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    await fn()
    wall.push(performance.now() - t0)
    const c = process.cpuUsage(c0)
    cpu.push((c.user + c.system) / 1000)
  }
  const at = (list: number[], q: number) =>
    [...list].sort((a, b) => a - b)[Math.min(runs - 1, Math.ceil(q * runs) - 1)]!
  return {
    p50Ms: at(wall, 0.5),
    p95Ms: at(wall, 0.95),
    cpuP50Ms: at(cpu, 0.5),
    cpuP95Ms: at(cpu, 0.95),
    runs,
  }
}

/** The same through the routes (`app.request`, no socket): JSON, validation and logging included. */
async function routeFigures(text: string, store: Store, root: string) {
  const config = loadRedactionConfig({
    REDACTION_INSECURE_DEV_KEY: '1',
    REDACTION_MAP_DB: join(root, 'maps.db'),
    REDACTION_MAX_ITEM_CHARS: '1000000',
  })
  const app = buildApp({ config, logger: silentLogger(), store })
  const post = async (path: string, body: unknown) => {
    const res = await app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`)
    return res.json() as Promise<{ map_handle: string; items: { scrubbed_text: string }[] }>
  }
  const body = {
    task_id: 'bench',
    items: [{ id: 'transcript', text }],
    known_entities: { persons: KNOWN_PERSONS },
    tier1_action: 'drop',
    ner: 'rules_only',
  }
  const first = await post('/scrub', body)
  const back = { map_handle: first.map_handle, items: [{ id: 'r', text: first.items[0]!.scrubbed_text }] }
  return {
    scrub: await timedAsync(() => post('/scrub', body), CONFIG.routeRuns),
    rehydrate: await timedAsync(() => post('/rehydrate', back), CONFIG.routeRuns),
  }
}

const n = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '—')

function report(
  words: number,
  chars: number,
  pipe: ReturnType<typeof pipelineFigures>,
  route: Awaited<ReturnType<typeof routeFigures>>,
  stages: Stage[],
  targets: ReturnType<typeof atMost>[],
): string {
  const base = pipe.baseline
  const row = (what: string, t: Timing) => [
    what,
    n(t.p50Ms),
    n(t.p95Ms),
    n(t.cpuP50Ms),
    n(t.cpuP95Ms),
    n(words / (t.p50Ms / 1000), 0),
    n(t.p50Ms / base.p50Ms, 0),
  ]
  const main = table([
    ['', 'p50 ms', 'p95 ms', 'CPU p50 ms', 'CPU p95 ms', 'words/s (p50)', '× baseline'],
    row('scrub (pipeline + SQLite map)', pipe.scrub),
    row('rehydrate (from the map)', pipe.rehydrate),
    row('baseline: one regex pass', base),
    row('POST /scrub (in-process)', route.scrub),
    row('POST /rehydrate (in-process)', route.rehydrate),
  ])
  const total = stages.reduce((sum, s) => (s.stage.startsWith('structured (all') ? sum : sum + s.cpuP50Ms), 0)
  const stageTable = table([
    ['stage', 'p50 ms', 'CPU p50 ms', 'share of sum', 'spans'],
    ...stages.map((s) => [
      s.stage,
      n(s.p50Ms, 2),
      n(s.cpuP50Ms, 2),
      `${n((100 * s.cpuP50Ms) / total, 0)} %`,
      String(s.found),
    ]),
  ])
  const targetTable = table([
    ['target', 'value', 'goal', ''],
    ...targets.map((t) => [t.figure, n(t.value, 1), t.target, t.met ? 'met' : 'MISSED']),
  ])
  const facts = [
    `transcript: ${words} words, ${chars} characters; ${pipe.tokens} spans tokenised (${pipe.distinct} distinct), ${pipe.tier1Dropped} Tier-1 dropped`,
    `round trip rehydrate(scrub(x)) == x: ${pipe.roundTrip ? 'yes' : 'NO'}`,
    `types: ${Object.entries(pipe.types)
      .map(([type, count]) => `${type} ${count}`)
      .join(', ')}`,
  ]
  const stageNote = `per stage (each alone over the same text; CPU sum ${n(total)} ms; structured (all) not in the sum)`
  return `${main}\n\n${facts.join('\n')}\n\n${stageNote}\n${stageTable}\n\n${targetTable}`
}

async function main() {
  const startedAt = new Date()
  const text = transcript(CONFIG.words)
  const words = wordCount(text)
  const loadStart = loadavg()[0]!
  console.log(
    `redaction bench: ${words} words, ${CONFIG.runs} runs${quick ? ' (quick)' : ''}, load ${n(loadStart, 2)}`,
  )
  await withStore(async (store, root) => {
    const pipe = pipelineFigures(text, store)
    const route = await routeFigures(text, store, root)
    const stages = stageBreakdown(text, { knownEntities: { persons: KNOWN_PERSONS } }, CONFIG.stageRuns)
    // Wall time on a busy machine includes waiting for a core; CPU time is what the work cost.
    const targets = [
      atMost('scrub p50, 10,000 words (ms)', pipe.scrub.p50Ms, TARGETS.scrubP50Ms, 'ms'),
      atMost('scrub CPU p50 (ms)', pipe.scrub.cpuP50Ms, TARGETS.scrubP50Ms, 'ms'),
      atMost('rehydrate p50, 10,000 words (ms)', pipe.rehydrate.p50Ms, TARGETS.rehydrateP50Ms, 'ms'),
      atMost('rehydrate CPU p50 (ms)', pipe.rehydrate.cpuP50Ms, TARGETS.rehydrateP50Ms, 'ms'),
    ]
    console.log(`\n${report(words, text.length, pipe, route, stages, targets)}\n`)
    const meta = { quick, config: CONFIG, loadAvg1mStart: loadStart, loadAvg1mEnd: loadavg()[0] }
    const file = await writeResults('redaction', startedAt, meta, {
      words,
      chars: text.length,
      pipeline: pipe,
      route,
      stages,
      targets,
    })
    console.log(`results: ${file}`)
  })
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
