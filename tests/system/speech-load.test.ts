/**
 * The speech-proxy under load on loopback (issue #9): 50 clients at once send short real-speech
 * transcriptions to the service (in this process, served over HTTP so each client is its own
 * `X-Forwarded-For` address) in front of the simulated Parakeet, behind a metering hop
 * (bench/speech-meter.ts) that gives each call 300–600 ms of service time and records how many run
 * at once. The ASR lane allows 2 and the deadline is 8 s, under the ~11 s of calls 50 requests need (each also
 * spends ~0.2 s of CPU in ffprobe and ffmpeg before it reaches the lane), so requests queue, some
 * run late in their budget and some are refused. Invariants:
 *
 * - Parakeet never has more than the lane's limit in flight;
 * - every answer is 200, or 503/429 with a whole-second `Retry-After` ≥ 1; clients that give up
 *   early are the only ones without an answer, and their queued work goes away;
 * - no request served waited past its deadline: what it spent before its upstream call started
 *   (Server-Timing `decode` + `queue`; the budget starts once the upload is on disk) stays within
 *   the deadline plus a margin, so whatever could not start in time was refused. (Refusals themselves can come late: every upload is
 *   probed and decoded by ffmpeg before any deadline is checked, with no bound on how many at once;
 *   see bench/README.md, "Speech benchmark".)
 * - afterwards nothing runs or waits, and the heap after a forced GC does not grow from one round
 *   to the next (the first round warms the caches and the recent-jobs ring).
 */
import { execFile } from 'node:child_process'
import { openAsBlob } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { FormData, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { busyMs, startUpstreamMeter, type UpstreamMeter } from '../../bench/speech-meter.ts'
import type { Admission } from '../../services/speech-proxy/domain/admission/admission.ts'
import { speechApp } from '../../services/speech-proxy/testing/harness.ts'
import { silentLogger } from '../../shared/logger.ts'
import { seededRandom } from '../../shared/random.ts'
import { type RunningServer, serve } from '../../shared/serve.ts'
import { type ParakeetHandle, startParakeet } from '../../tools/spark-sim/speech/parakeet.ts'
import { dialogue } from '../fixtures/audio/fixtures.ts'

const LANE_LIMIT = 2
const DEADLINE_S = 8
const CLIENTS = 50
/** Clients that stop waiting after this long (a closed tab); the rest wait for their answer. */
const GIVE_UP_MS = 300
const GIVE_UP = new Set([5, 22, 39])
/** Beyond the deadline: event-loop lag on a 2-core machine shared with other suites. */
const MARGIN_MS = 1000
/** Heap growth tolerated between two identical rounds, after a forced GC. */
const HEAP_SLACK_BYTES = 4 * 1024 * 1024

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

interface Outcome {
  client: number
  status: number | 'gave-up'
  retryAfter: string | undefined
  /** At the client, from sending to the end of the answer. */
  wallMs: number
  /** In the service before its upstream call started (Server-Timing `decode` + `queue`). */
  waitedMs: number
}

/** Milliseconds of `Server-Timing` before the upstream call: decoding, cutting and the lane's queue. */
function waitedMs(header: string | string[] | undefined): number {
  let total = 0
  for (const m of String(header ?? '').matchAll(/(decode|queue);dur=([\d.]+)/g)) total += Number(m[2])
  return total
}

let dir: string
let clip: string
let parakeet: ParakeetHandle
let meter: UpstreamMeter
let server: RunningServer
let admission: Admission

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'speech-load-'))
  // Four seconds of the real dialogue: short requests, so the lane's queue is what takes time.
  clip = join(dir, 'clip.wav')
  await promisify(execFile)('ffmpeg', ['-v', 'error', '-y', '-i', (await dialogue()).path, '-t', '4', clip])
  parakeet = await startParakeet({ host: '127.0.0.1', port: 0, truthDir: '', tmpDir: dir })
  const random = seededRandom(9)
  meter = await startUpstreamMeter({ target: parakeet.url, serviceMs: () => 300 + random() * 300 })
  const built = speechApp({
    parakeetUrl: meter.url,
    env: { SPEECH_LANE_ASR: String(LANE_LIMIT), SPEECH_DEADLINE_S: String(DEADLINE_S) },
  })
  admission = built.admission
  server = await serve({
    fetch: built.app.fetch,
    port: 0,
    hostname: '127.0.0.1',
    logger: silentLogger(),
    lifecycle: new AbortController(),
    graceMs: 0,
  })
})

afterAll(async () => {
  await server?.close()
  await meter?.close()
  await parakeet?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

async function transcribe(client: number, priority: string | null, giveUp: boolean): Promise<Outcome> {
  const form = new FormData()
  form.set('file', await openAsBlob(clip, { type: 'audio/wav' }), 'clip.wav')
  form.set('model', 'whisper-1')
  if (priority) form.set('priority', priority)
  const started = performance.now()
  try {
    const res = await request(`http://127.0.0.1:${server.port}/v1/audio/transcriptions`, {
      method: 'POST',
      headers: { 'x-forwarded-for': `10.0.0.${client}` },
      body: form,
      signal: giveUp ? AbortSignal.timeout(GIVE_UP_MS) : undefined,
    })
    await res.body.text()
    const retryAfter = res.headers['retry-after']
    const wallMs = performance.now() - started
    return {
      client,
      status: res.statusCode,
      retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
      wallMs,
      waitedMs: waitedMs(res.headers['server-timing']),
    }
  } catch (err) {
    if (!giveUp) throw err
    const wallMs = performance.now() - started
    return { client, status: 'gave-up', retryAfter: undefined, wallMs, waitedMs: wallMs }
  }
}

/** Every client at once, one request each: a few batch and a few interactive among standard ones. */
const round = (): Promise<Outcome[]> =>
  Promise.all(
    Array.from({ length: CLIENTS }, (_, client) =>
      transcribe(
        client,
        client % 10 === 0 ? 'batch' : client % 10 === 1 ? 'interactive' : null,
        GIVE_UP.has(client),
      ),
    ),
  )

function heapAfterGc(): number {
  gc()
  gc()
  return process.memoryUsage().heapUsed
}

describe('speech-proxy under 50 concurrent clients', () => {
  it('keeps Parakeet within the lane limit, answers within the deadline or refuses with Retry-After, and does not grow', async () => {
    const heaps: number[] = []
    let reached = 0
    for (let r = 0; r < 3; r++) {
      meter.reset()
      const outcomes = await round()
      // Work a client walked away from is dropped from the queue; running calls finish on their own.
      await expect
        .poll(() => admission.status().map((l) => l.running + l.queued), { timeout: 10_000 })
        .toEqual(admission.status().map(() => 0))
      await expect.poll(() => meter.inFlight(), { timeout: 5000 }).toBe(0)

      expect(meter.maxInFlight()).toBeLessThanOrEqual(LANE_LIMIT)
      reached = Math.max(reached, meter.maxInFlight())
      expect(busyMs(meter.calls())).toBeGreaterThan(0)

      const answered = outcomes.filter((o) => o.status !== 'gave-up')
      const odd = answered.filter((o) => ![200, 429, 503].includes(o.status as number))
      expect(odd).toEqual([])
      const refusedWithout = answered.filter(
        (o) => o.status !== 200 && !(o.retryAfter !== undefined && /^[1-9]\d*$/.test(o.retryAfter)),
      )
      expect(refusedWithout).toEqual([])
      // Whatever waited past its deadline was refused: nothing served had waited longer.
      const servedLate = answered.filter(
        (o) => o.status === 200 && o.waitedMs > DEADLINE_S * 1000 + MARGIN_MS,
      )
      expect(servedLate).toEqual([])
      expect(answered.filter((o) => o.status === 200).length).toBeGreaterThan(0)
      expect(answered.filter((o) => o.status === 503).length).toBeGreaterThan(0)
      expect(outcomes.filter((o) => o.status === 'gave-up' && !GIVE_UP.has(o.client))).toEqual([])
      heaps.push(heapAfterGc())
    }
    // The load reached the limit, so the check above could have failed.
    expect(reached).toBe(LANE_LIMIT)
    const [, second, third] = heaps as [number, number, number]
    expect(
      third - second,
      `heap after GC: ${heaps.map((h) => (h / 2 ** 20).toFixed(1)).join(' → ')} MiB`,
    ).toBeLessThan(HEAP_SLACK_BYTES)
  }, 120_000)
})
