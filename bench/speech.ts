/**
 * `npm run bench:speech`: what the speech-proxy adds on top of Parakeet for a long recording, and
 * how much memory it holds while it works. Issue #9's targets: for a 60-minute recording, chunking
 * + stitching + merging overhead ≤ 5 % of the upstream time; peak RSS ≤ 300 MB while a 2-hour
 * upload is processed.
 *
 * The simulated Parakeet runs in this process behind a metering hop (bench/speech-meter.ts) that
 * gives each call a fixed service time per audio-second and records when each call ran; the
 * speech-proxy runs as a child process (`services/speech-proxy/main.ts`, one fresh process per
 * recording so its peak RSS belongs to that upload) and gets one `verbose_json` transcription of
 * the whole MP3 (bench/speech-audio.ts). Its resident memory is read from `/proc/<pid>/status`
 * every 100 ms. How the overhead is defined: bench/README.md, "Speech benchmark".
 *
 * Prints a table, writes `bench/results/speech-<timestamp>.json` (git-ignored); a missed target is
 * printed as MISSED and the exit code is non-zero only if the bench itself breaks.
 */

import { Buffer } from 'node:buffer'
import { spawn } from 'node:child_process'
import { createReadStream, openAsBlob } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { cpus, loadavg, tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { Readable } from 'node:stream'
import { FormData, request } from 'undici'
import { sleep } from '../shared/abort.ts'
import { startParakeet } from '../tools/spark-sim/speech/parakeet.ts'
import { REPO_ROOT } from '../tools/stack/launch.ts'
import { Cleanups, memoryOf, stopChild, withChildren } from './children.ts'
import { atMost, table } from './report.ts'
import { writeResults } from './results.ts'
import { type Recording, recording } from './speech-audio.ts'
import { busyMs, startUpstreamMeter, type UpstreamMeter } from './speech-meter.ts'

/** `BENCH_QUICK=1`: 10- and 20-minute recordings instead of 60 and 120, to try the bench itself. */
const quick = process.env.BENCH_QUICK === '1'
const CONFIG = {
  overheadMinutes: quick ? 10 : 60,
  memoryMinutes: quick ? 20 : 120,
  /** Upstream service time per audio-second sent (0.02 = 50× real time); `BENCH_SPEECH_S_PER_AUDIO_S`. */
  sPerAudioS: Number(process.env.BENCH_SPEECH_S_PER_AUDIO_S ?? 0.02),
  pollMs: 100,
  /** Long enough that no chunk of a 2-hour job meets its deadline on a slow machine. */
  deadlineS: 3600,
}
const TARGETS = { overheadPct: 5, peakRssMiB: 300 }

interface Run {
  minutes: number
  /** Chunked: the upload without Content-Length, as a client streaming from a recorder sends it. */
  upload: 'sized' | 'chunked'
  uploadMiB: number
  wallS: number
  calls: number
  audioSentS: number
  upstreamBusyS: number
  configuredServiceS: number
  overheadS: number
  overheadPct: number
  /** Before the first upstream call (upload, probe, decode, silences, first cut) and after the last. */
  beforeFirstCallS: number
  afterLastCallS: number
  /** Service time per audio-second at which this overhead would be exactly 5 %. */
  breakEvenSPerAudioS: number
  serverTiming: Record<string, number>
  peakRssMiB: number
  sampledRssMiB: number
  withFfmpegMiB: number
  words: number
  /** What the job left in the service's temp dir (uploads and workspaces must all be gone). */
  tempLeft: string[]
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function startProxy(parakeetUrl: string, tmp: string) {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/speech-proxy/main.ts'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      PARAKEET_URL: parakeetUrl,
      KOKORO_URL: '',
      SPEECH_DEADLINE_S: String(CONFIG.deadlineS),
      TMPDIR: tmp,
    },
  })
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`speech-proxy exited (${child.exitCode}) at start`)
    const up = await request(`${url}/health`)
      .then(async (r) => {
        await r.body.text()
        return r.statusCode === 200
      })
      .catch(() => false)
    if (up) return { child, url }
    await sleep(100)
  }
  throw new Error('speech-proxy did not answer /health within 30 s')
}

/** Highest VmRSS seen every `pollMs`, of the process alone and with its ffmpeg children. */
function watchMemory(pid: number) {
  let own = 0
  let withKids = 0
  let stopped = false
  const loop = (async () => {
    while (!stopped) {
      const pids = await withChildren(pid).catch(() => [pid])
      let sum = 0
      for (const p of pids) {
        const mem = await memoryOf(p).catch(() => null)
        // A child that exits between the listing and the read has no figures.
        if (!mem || !Number.isFinite(mem.rssMiB)) continue
        if (p === pid) own = Math.max(own, mem.rssMiB)
        sum += mem.rssMiB
      }
      withKids = Math.max(withKids, sum)
      await sleep(CONFIG.pollMs)
    }
  })()
  return async () => {
    stopped = true
    await loop
    return { own, withKids }
  }
}

const FIELDS: [string, string][] = [
  ['model', 'whisper-1'],
  ['response_format', 'verbose_json'],
  ['timestamp_granularities[]', 'word'],
  ['timestamp_granularities[]', 'segment'],
]

/** A multipart form whose length is known up front: the upload goes out with Content-Length. */
async function sizedForm(rec: Recording) {
  const form = new FormData()
  form.set('file', await openAsBlob(rec.path, { type: 'audio/mpeg' }), basename(rec.path))
  for (const [name, value] of FIELDS) form.append(name, value)
  return form
}

/** The same form streamed from the file with no length: undici sends it chunked. */
function chunkedForm(rec: Recording) {
  const boundary = `speech-bench-${Date.now()}`
  const part = (headers: string) => Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`)
  async function* body() {
    for (const [name, value] of FIELDS)
      yield Buffer.concat([
        part(`Content-Disposition: form-data; name="${name}"`),
        Buffer.from(`${value}\r\n`),
      ])
    yield part(
      `Content-Disposition: form-data; name="file"; filename="${basename(rec.path)}"\r\nContent-Type: audio/mpeg`,
    )
    yield* createReadStream(rec.path)
    yield Buffer.from(`\r\n--${boundary}--\r\n`)
  }
  return {
    body: Readable.from(body()),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  }
}

const parseServerTiming = (header: string | string[] | undefined): Record<string, number> =>
  Object.fromEntries(
    String(header ?? '')
      .split(',')
      .map((part) => /^\s*([\w-]+);dur=([\d.]+)/.exec(part))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1] as string, Number(m[2])]),
  )

async function transcribeOnce(
  rec: Recording,
  upload: Run['upload'],
  meter: UpstreamMeter,
  cleanups: Cleanups,
): Promise<Run> {
  const tmp = await mkdtemp(join(tmpdir(), 'speech-bench-proxy-'))
  cleanups.add(`temp dir ${tmp}`, () => rm(tmp, { recursive: true, force: true }))
  const { child, url } = await startProxy(meter.url, tmp)
  cleanups.add('speech-proxy', () => stopChild(child))
  const pid = child.pid as number
  meter.reset()
  const stopWatch = watchMemory(pid)
  const started = performance.now()
  const res = await request(`${url}/v1/audio/transcriptions`, {
    method: 'POST',
    ...(upload === 'sized' ? { body: await sizedForm(rec) } : chunkedForm(rec)),
    headersTimeout: 0,
    bodyTimeout: 0,
  })
  const text = await res.body.text()
  const ended = performance.now()
  const watched = await stopWatch()
  const peak = await memoryOf(pid)
  if (res.statusCode !== 200)
    throw new Error(`transcription answered ${res.statusCode}: ${text.slice(0, 300)}`)
  const words = (JSON.parse(text) as { words?: unknown[] }).words?.length ?? 0
  const calls = meter.calls().filter((c) => c.path.startsWith('/v1/audio/'))
  const busy = busyMs(calls, started, ended)
  const overheadS = (ended - started - busy) / 1000
  const audioSentS = calls.reduce((sum, c) => sum + c.audioS, 0)
  // tsx keeps its compile cache in the temp dir too; it is not the job's.
  const tempLeft = (await readdir(tmp)).filter((name) => !name.startsWith('tsx-'))
  await stopChild(child)
  return {
    minutes: rec.minutes,
    upload,
    uploadMiB: rec.bytes / 2 ** 20,
    wallS: (ended - started) / 1000,
    calls: calls.length,
    audioSentS,
    upstreamBusyS: busy / 1000,
    configuredServiceS: calls.reduce((s, c) => s + c.audioS * CONFIG.sPerAudioS, 0),
    overheadS,
    overheadPct: ((ended - started - busy) / busy) * 100,
    beforeFirstCallS: (Math.min(...calls.map((c) => c.startMs)) - started) / 1000,
    afterLastCallS: (ended - Math.max(...calls.map((c) => c.endMs))) / 1000,
    breakEvenSPerAudioS: overheadS / (0.05 * audioSentS),
    serverTiming: parseServerTiming(res.headers['server-timing']),
    peakRssMiB: peak.peakMiB,
    sampledRssMiB: watched.own,
    withFfmpegMiB: watched.withKids,
    words,
    tempLeft,
  }
}

const label = (r: Run) => `${r.minutes} min ${r.upload}`

function report(runs: Run[], targets: ReturnType<typeof atMost>[]): string {
  const n = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '—')
  const st = (r: Run, k: string) => n((r.serverTiming[k] ?? Number.NaN) / 1000, 2)
  const runTable = table([
    [
      'recording',
      'upload MiB',
      'wall s',
      'calls',
      'audio sent s',
      'upstream s',
      'overhead s',
      'overhead %',
      'before 1st s',
      'after last s',
      '5 % at s/s',
    ],
    ...runs.map((r) => [
      label(r),
      n(r.uploadMiB),
      n(r.wallS, 2),
      String(r.calls),
      n(r.audioSentS),
      n(r.upstreamBusyS, 2),
      n(r.overheadS, 2),
      n(r.overheadPct, 2),
      n(r.beforeFirstCallS, 2),
      n(r.afterLastCallS, 2),
      n(r.breakEvenSPerAudioS, 3),
    ]),
  ])
  const phaseTable = table([
    ['recording', 'decode s', 'queue s', 'asr s', 'merge s', 'peak RSS MiB', 'sampled', '+ ffmpeg', 'words'],
    ...runs.map((r) => [
      label(r),
      st(r, 'decode'),
      st(r, 'queue'),
      st(r, 'asr'),
      st(r, 'merge'),
      n(r.peakRssMiB),
      n(r.sampledRssMiB),
      n(r.withFfmpegMiB),
      String(r.words),
    ]),
  ])
  const targetTable = table([
    ['target', 'value', 'goal', ''],
    ...targets.map((t) => [t.figure, n(t.value, 2), t.target, t.met ? 'met' : 'MISSED']),
  ])
  return [runTable, '', phaseTable, '', targetTable].join('\n')
}

async function main() {
  const startedAt = new Date()
  const cleanups = new Cleanups()
  process.once('SIGINT', () => void cleanups.runAll().then(() => process.exit(130)))
  try {
    console.log(
      `speech bench: building ${CONFIG.overheadMinutes}- and ${CONFIG.memoryMinutes}-minute recordings`,
    )
    const recordings = [await recording(CONFIG.overheadMinutes), await recording(CONFIG.memoryMinutes)]
    const parakeet = await startParakeet({ host: '127.0.0.1', port: 0, truthDir: '' })
    cleanups.add('simulated Parakeet', () => parakeet.close())
    const meter = await startUpstreamMeter({
      target: parakeet.url,
      serviceMs: (audioS) => audioS * CONFIG.sPerAudioS * 1000,
    })
    cleanups.add('meter', () => meter.close())
    const plan: [Recording, Run['upload']][] = [
      [recordings[0] as Recording, 'sized'],
      [recordings[1] as Recording, 'sized'],
      [recordings[1] as Recording, 'chunked'],
    ]
    const runs: Run[] = []
    for (const [rec, upload] of plan) {
      console.log(`speech bench: transcribing the ${rec.minutes}-minute recording (${upload} upload)`)
      runs.push(await transcribeOnce(rec, upload, meter, cleanups))
    }
    const [overheadRun, memoryRun, chunkedRun] = runs as [Run, Run, Run]
    const targets = [
      atMost(
        `overhead, ${overheadRun.minutes} min (% of upstream)`,
        overheadRun.overheadPct,
        TARGETS.overheadPct,
        '%',
      ),
      atMost(
        `peak RSS, ${memoryRun.minutes}-min upload (MiB)`,
        memoryRun.peakRssMiB,
        TARGETS.peakRssMiB,
        'MiB',
      ),
      atMost(
        `peak RSS, ${chunkedRun.minutes}-min chunked upload (MiB)`,
        chunkedRun.peakRssMiB,
        TARGETS.peakRssMiB,
        'MiB',
      ),
    ]
    console.log(`\n${report(runs, targets)}\n`)
    const file = await writeResults(
      'speech',
      startedAt,
      { quick, config: CONFIG, loadavg: loadavg(), cpus: cpus().length },
      { runs, targets },
    )
    console.log(`results: ${file}`)
  } finally {
    await cleanups.runAll()
  }
}

main().catch((err: Error) => {
  console.error(`speech bench broke: ${err.stack ?? err.message}`)
  process.exit(1)
})
