/**
 * Label-merge from upload to merged segments. The audio is normalised to 16 kHz mono per side:
 * two uploads (`mic_file` + `system_file`), or one stereo file whose two channels differ (channel 0
 * is the mic), are a call in dual-channel mode; anything else is mono. Then, side by side: ASR of
 * each side (skipped without `transcribe`), the diarizer on the far side only (on the whole file in
 * mono) and, for a call, both sides' energy envelopes read in windows. label-merge.ts does the rest.
 * Every derived file lives in a per-job workspace that is removed however the job ends.
 */
import type { Priority } from '../admission/lanes.ts'
import type { AudioTools, Workspace } from '../transcribe/ports.ts'
import { mapWindow } from '../transcribe/window.ts'
import type { Span } from './bleed.ts'
import type { TimedWord } from './dedup.ts'
import { createEnvelopeBuilder, type Envelope, SAMPLE_RATE } from './envelope.ts'
import { type LabelMergeOutcome, mergeDualChannel, mergeMono } from './label-merge.ts'
import type { TimelineEntry, Turn } from './naming.ts'

/** One minute of samples per read: a two-hour call never holds more than ~4 MB of it at once. */
export const ENVELOPE_WINDOW_S = 60

/** Milliseconds per phase, summed over sides and chunks (they overlap, so more than the wall time). */
export interface LabelMergeTimings {
  queue: number
  decode: number
  asr: number
  diar: number
  merge: number
}

/** One side of the audio, normalised, for the ASR or the diarizer. */
export interface SideJob {
  path16k: string
  client: string
  priority?: Priority
  signal: AbortSignal
}

interface SideWork {
  /** Where the first chunk stood in its lane's queue on arrival; 0 = it ran at once. */
  queuePosition: number
  timings: Partial<LabelMergeTimings>
}

export interface SideWords extends SideWork {
  words: TimedWord[]
}

export interface SideTurns extends SideWork {
  /** File seconds, speakers linked across chunks. */
  turns: Turn[]
  /** Speaker → voice embedding, for naming by voiceprint and the answer's `fingerprints`. */
  fingerprints: Record<string, number[]>
}

export interface LabelMergePorts {
  tools: Pick<AudioTools, 'probe' | 'channelsIdentical' | 'toMono16k'>
  /** Samples of a normalised WAV, `durS` from `startS` (fewer at its end). */
  readPcm(path16k: string, window: { startS: number; durS: number }): Promise<Float32Array>
  /** The transcription pipeline on one side: chunked, through the `asr` lane. */
  transcribe(job: SideJob): Promise<SideWords>
  /** The diarizer on one side: chunked, through the `diarize` lane, speakers linked. */
  diarize(job: SideJob): Promise<SideTurns>
  workspace(): Promise<Workspace>
  now?: () => number
}

export type LabelMergeAudio = { file: string } | { micFile: string; systemFile: string }

export interface LabelMergeJob {
  audio: LabelMergeAudio
  transcribe: boolean
  selfName: string
  selfVad?: Span[]
  timeline?: TimelineEntry[]
  /** Name → embedding, from earlier answers' `fingerprints`. */
  knownVoiceprints?: Record<string, number[]>
  client: string
  priority?: Priority
  signal: AbortSignal
}

export interface LabelMergeAnswer extends LabelMergeOutcome {
  mode: 'mono' | 'dual_channel'
  queuePosition: number
  timings: LabelMergeTimings
}

type Sides = { mode: 'mono'; audio: string } | { mode: 'dual_channel'; mic: string; system: string }

export function createLabelMerge(ports: LabelMergePorts) {
  return {
    async run(job: LabelMergeJob): Promise<LabelMergeAnswer> {
      const ws = await ports.workspace()
      try {
        return await run(ports, job, ws)
      } finally {
        await ws.remove()
      }
    },
  }
}

export type LabelMerge = ReturnType<typeof createLabelMerge>

async function run(ports: LabelMergePorts, job: LabelMergeJob, ws: Workspace): Promise<LabelMergeAnswer> {
  const now = ports.now ?? (() => performance.now())
  const timings: LabelMergeTimings = { queue: 0, decode: 0, asr: 0, diar: 0, merge: 0 }
  const decodeStarted = now()
  const { sides, duration } = await normalise(ports, job, ws)
  timings.decode += now() - decodeStarted
  const ctx: Context = { ports, job, now, timings, work: [], duration }
  const outcome =
    sides.mode === 'mono' ? await mono(ctx, sides.audio) : await call(ctx, sides.mic, sides.system)
  for (const w of ctx.work)
    for (const [phase, ms] of Object.entries(w.timings)) timings[phase as keyof LabelMergeTimings] += ms ?? 0
  return {
    ...outcome,
    mode: sides.mode,
    queuePosition: Math.max(0, ...ctx.work.map((w) => w.queuePosition)),
    timings,
  }
}

interface Context {
  ports: LabelMergePorts
  job: LabelMergeJob
  now: () => number
  timings: LabelMergeTimings
  /** What each side's ASR and diarizer reported, for the request's timings. */
  work: SideWork[]
  duration: number
}

const sideJob = (ctx: Context, path16k: string, signal: AbortSignal): SideJob => ({
  path16k,
  client: ctx.job.client,
  ...(ctx.job.priority ? { priority: ctx.job.priority } : {}),
  signal,
})

/** The side's words, or none when the client asked for speaker turns only. */
async function words(ctx: Context, path: string, signal: AbortSignal): Promise<SideWords | undefined> {
  if (!ctx.job.transcribe) return undefined
  const out = await ctx.ports.transcribe(sideJob(ctx, path, signal))
  ctx.work.push(out)
  return out
}

async function speakers(ctx: Context, path: string, signal: AbortSignal): Promise<SideTurns> {
  const out = await ctx.ports.diarize(sideJob(ctx, path, signal))
  ctx.work.push(out)
  return out
}

const namingOf = ({ job, duration }: Context) => ({
  duration,
  ...(job.timeline ? { timeline: job.timeline } : {}),
  ...(job.knownVoiceprints ? { knownVoiceprints: job.knownVoiceprints } : {}),
})

function timed<T>(ctx: Context, fn: () => T): T {
  const started = ctx.now()
  try {
    return fn()
  } finally {
    ctx.timings.merge += ctx.now() - started
  }
}

async function mono(ctx: Context, audio: string): Promise<LabelMergeOutcome> {
  const [asr, diarized] = await together(ctx.job.signal, [
    (s: AbortSignal) => words(ctx, audio, s),
    (s: AbortSignal) => speakers(ctx, audio, s),
  ] as const)
  return timed(ctx, () =>
    mergeMono({
      ...namingOf(ctx),
      ...(asr ? { words: asr.words } : {}),
      turns: diarized.turns,
      fingerprints: diarized.fingerprints,
    }),
  )
}

async function call(ctx: Context, mic: string, system: string): Promise<LabelMergeOutcome> {
  // One side after the other: the CPU is shared with the other requests' work.
  const envelopes = async (signal: AbortSignal) => {
    const started = ctx.now()
    const both = {
      mic: await envelopeOf(ctx.ports, mic, signal),
      system: await envelopeOf(ctx.ports, system, signal),
    }
    ctx.timings.merge += ctx.now() - started
    return both
  }
  const [micAsr, systemAsr, diarized, env] = await together(ctx.job.signal, [
    (s: AbortSignal) => words(ctx, mic, s),
    (s: AbortSignal) => words(ctx, system, s),
    (s: AbortSignal) => speakers(ctx, system, s),
    envelopes,
  ] as const)
  const { job } = ctx
  return timed(ctx, () =>
    mergeDualChannel({
      ...namingOf(ctx),
      ...env,
      selfName: job.selfName,
      ...(job.selfVad ? { selfVad: job.selfVad } : {}),
      ...(micAsr && systemAsr ? { micWords: micAsr.words, systemWords: systemAsr.words } : {}),
      systemTurns: diarized.turns,
      fingerprints: diarized.fingerprints,
    }),
  )
}

/** Probes the upload(s) (415 for what is not audio) and writes each side as 16 kHz mono. */
async function normalise(
  ports: LabelMergePorts,
  job: LabelMergeJob,
  ws: Workspace,
): Promise<{ sides: Sides; duration: number }> {
  const { tools } = ports
  const { signal } = job
  const mic = ws.file('mic.wav')
  const system = ws.file('system.wav')
  if ('micFile' in job.audio) {
    const [micInfo, systemInfo] = [
      await tools.probe(job.audio.micFile, signal),
      await tools.probe(job.audio.systemFile, signal),
    ]
    await tools.toMono16k(job.audio.micFile, mic, signal)
    await tools.toMono16k(job.audio.systemFile, system, signal)
    return {
      sides: { mode: 'dual_channel', mic, system },
      duration: seconds(Math.max(micInfo.durationS, systemInfo.durationS)),
    }
  }
  const { file } = job.audio
  const info = await tools.probe(file, signal)
  const duration = seconds(info.durationS)
  if (info.channels === 2 && !(await tools.channelsIdentical(file, signal))) {
    await tools.toMono16k(file, mic, signal, { channel: 0 })
    await tools.toMono16k(file, system, signal, { channel: 1 })
    return { sides: { mode: 'dual_channel', mic, system }, duration }
  }
  const audio = ws.file('audio.wav')
  // One signal twice is read from one channel: a mix of the two would only change its level.
  await tools.toMono16k(file, audio, signal, info.channels === 2 ? { channel: 0 } : {})
  return { sides: { mode: 'mono', audio }, duration }
}

const seconds = (s: number) => Math.round(s * 1000) / 1000

/** The side's energy envelope, its samples read a window at a time. */
export async function envelopeOf(
  ports: Pick<LabelMergePorts, 'readPcm'>,
  path16k: string,
  signal: AbortSignal,
  windowS = ENVELOPE_WINDOW_S,
): Promise<Envelope> {
  const builder = createEnvelopeBuilder()
  const full = Math.round(windowS * SAMPLE_RATE)
  for (let startS = 0; ; startS += windowS) {
    signal.throwIfAborted()
    const pcm = await ports.readPcm(path16k, { startS, durS: windowS })
    builder.push(pcm)
    if (pcm.length < full) break
  }
  return builder.finish()
}

type Task = (signal: AbortSignal) => Promise<unknown>
type Results<T extends readonly Task[]> = { [K in keyof T]: Awaited<ReturnType<T[K]>> }

/**
 * Runs every task at once; the first failure aborts the others (through the shared signal the
 * ports were given) and is thrown once all have settled, so nothing still writes into the
 * workspace when it is removed.
 */
async function together<T extends readonly Task[]>(signal: AbortSignal, tasks: T): Promise<Results<T>> {
  const results = await mapWindow([...tasks], tasks.length, signal, (task, shared) => task(shared))
  return results as Results<T>
}
