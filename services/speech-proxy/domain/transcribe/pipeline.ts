/**
 * One transcription, upload to transcript: probe (415 for what is not audio), normalise to 16 kHz
 * mono (a stereo file whose channels are the same signal is read from one channel, any other is
 * mixed), then either one upstream call or — for audio longer than one chunk — cut at silences,
 * each chunk through the admission lanes (ASR, and the diarizer beside it when speakers are asked
 * for), stitched back with file-wide timestamps. Every derived file lives in a per-job workspace
 * that is removed however the job ends.
 */

import { AppError } from '../../../../shared/errors.ts'
import type { Priority } from '../admission/lanes.ts'
import { type Chunk, type ChunkPlanOptions, DEFAULT_CHUNKING, planChunks } from '../audio/chunking.ts'
import { type ChunkResult, stitch } from '../audio/stitch.ts'
import type { Segment, Transcript, Word } from '../audio/types.ts'
import { DEFAULT_STT_MODEL } from '../models.ts'
import type {
  AsrResult,
  AudioTools,
  DiarizeResult,
  Lanes,
  SpeakerHints,
  SpeakerLinker,
  SpeechEngine,
  Workspace,
} from './ports.ts'
import { assignSpeakers, numberSpeakers, speakerBlocks } from './speakers.ts'
import { mapWindow } from './window.ts'

export const DEFAULT_DIARIZATION_MODEL = 'nvidia/diar_sortformer_4spk-v1'

/** Chunks of one job in flight at once: enough to keep the lanes busy, few enough for the client's quota. */
const CHUNK_WINDOW = 4

export interface PipelineDeps {
  tools: AudioTools
  engine: SpeechEngine
  lanes: Lanes
  workspace(): Promise<Workspace>
  /** Links chunk-local speakers across a long recording (domain/speakers); per-chunk labels without it. */
  linkSpeakers?: SpeakerLinker
  chunking?: ChunkPlanOptions
  chunkWindow?: number
  now?: () => number
}

export interface TranscribeJob {
  /** The upload as received. */
  path: string
  language?: string
  diarize: boolean
  speakers?: SpeakerHints
  /** What the client asked for; standard by default, batch for a long file's chunks. */
  priority?: Priority
  client: string
  /** Budgets from the job's start, in ms. */
  deadlines: { asr: number; diarize: number }
  chunking: 'auto' | 'off'
  signal: AbortSignal
}

/** Milliseconds per phase, summed over chunks (chunks overlap, so these can exceed the wall time). */
export interface Timings {
  queue: number
  decode: number
  asr: number
  diar: number
  merge: number
}

export interface TranscribeOutcome {
  transcript: Transcript
  models: { transcription: string; diarization: string | null }
  /** Where the first chunk stood in the ASR queue on arrival; 0 = it ran at once. */
  queuePosition: number
  chunks: number
  timings: Timings
}

interface ChunkDone {
  chunk: Chunk
  asr: AsrResult
  diarized: DiarizeResult | null
}

export interface Pipeline {
  transcribe(job: TranscribeJob): Promise<TranscribeOutcome>
}

export function createPipeline(deps: PipelineDeps): Pipeline {
  return {
    async transcribe(job) {
      const workspace = await deps.workspace()
      try {
        return await run(deps, job, workspace)
      } finally {
        await workspace.remove()
      }
    },
  }
}

async function run(deps: PipelineDeps, job: TranscribeJob, ws: Workspace): Promise<TranscribeOutcome> {
  const now = deps.now ?? (() => performance.now())
  const { tools } = deps
  const { signal } = job
  const started = now()
  const timings: Timings = { queue: 0, decode: 0, asr: 0, diar: 0, merge: 0 }
  const info = await tools.probe(job.path, signal)
  const mono = ws.file('audio.wav')
  const identical = info.channels === 2 && (await tools.channelsIdentical(job.path, signal))
  await tools.toMono16k(job.path, mono, signal, identical ? { channel: 0 } : {})
  const plan = await chunkPlan(deps, job, mono, info.durationS)
  timings.decode += now() - started

  const priority = job.priority ?? (plan.length > 1 ? 'batch' : 'standard')
  let queuePosition = 0
  // A budget spent before the lane (a decode backlog) is refused, not run late: a free lane would
  // admit a request whatever its deadline.
  const remaining = (budget: number) => {
    const left = budget - (now() - started)
    if (left > 0) return left
    const retryAfterS = Math.max(1, Math.ceil(timings.decode / 1000))
    throw new AppError(
      503,
      'deadline',
      `The request's deadline of ${Math.round(budget / 1000)} s passed before it reached the upstream; retry in ${retryAfterS} s.`,
      { retryAfterS },
    )
  }
  const done = await mapWindow(plan, deps.chunkWindow ?? CHUNK_WINDOW, signal, async (chunk, chunkSignal) => {
    const cutStarted = now()
    const path = plan.length === 1 ? mono : ws.file(`chunk-${chunk.index}.wav`)
    if (plan.length > 1) await tools.cut(mono, path, chunk.start, chunk.end - chunk.start, chunkSignal)
    timings.decode += now() - cutStarted
    const admit = { client: job.client, priority, work: Math.max(chunk.end - chunk.start, 0.001) }
    const [asr, diarized] = await both(
      chunkSignal,
      (s) =>
        deps.lanes.run(
          { ...admit, lane: 'asr', deadlineMs: remaining(job.deadlines.asr), signal: s },
          (sig) => deps.engine.transcribe(path, { language: job.language, signal: sig }),
        ),
      job.diarize
        ? (s) =>
            deps.lanes.run(
              { ...admit, lane: 'diarize', deadlineMs: remaining(job.deadlines.diarize), signal: s },
              (sig) => deps.engine.diarizeChunk(path, { signal: sig }),
            )
        : null,
    )
    if (chunk.index === 0) queuePosition = asr.position
    timings.queue += asr.queueMs + (diarized?.queueMs ?? 0)
    timings.asr += asr.serviceMs
    timings.diar += diarized?.serviceMs ?? 0
    return { chunk, asr: asr.value, diarized: diarized?.value ?? null } satisfies ChunkDone
  })

  const mergeStarted = now()
  const transcript = merge(deps, done, info.durationS, job)
  timings.merge += now() - mergeStarted
  return {
    transcript,
    models: {
      transcription: done.find((d) => d.asr.model)?.asr.model ?? DEFAULT_STT_MODEL,
      diarization: job.diarize
        ? (done.find((d) => d.diarized?.models?.diarization)?.diarized?.models?.diarization ??
          DEFAULT_DIARIZATION_MODEL)
        : null,
    },
    queuePosition,
    chunks: plan.length,
    timings,
  }
}

async function chunkPlan(deps: PipelineDeps, job: TranscribeJob, mono: string, durationS: number) {
  const opts = deps.chunking ?? DEFAULT_CHUNKING
  if (job.chunking === 'off' || durationS <= opts.maxS)
    return [{ index: 0, start: 0, end: durationS, bodyStart: 0, bodyEnd: durationS }]
  return planChunks(durationS, await deps.tools.silences(mono, job.signal), opts)
}

/**
 * Runs one or two calls side by side; when one fails the other is aborted, and the failure is
 * thrown only once both have settled.
 */
async function both<A, B>(
  signal: AbortSignal,
  first: (s: AbortSignal) => Promise<A>,
  second: ((s: AbortSignal) => Promise<B>) | null,
): Promise<[A, B | null]> {
  const stop = new AbortController()
  const shared = AbortSignal.any([signal, stop.signal])
  const guard = <T>(p: Promise<T>) =>
    p.catch((err: unknown) => {
      stop.abort(err)
      throw err
    })
  const settled = await Promise.allSettled([guard(first(shared)), second ? guard(second(shared)) : null])
  const failed = settled.find((s) => s.status === 'rejected')
  if (failed) throw (failed as PromiseRejectedResult).reason
  const [a, b] = settled as [PromiseFulfilledResult<A>, PromiseFulfilledResult<B | null>]
  return [a.value, b.value]
}

function merge(
  deps: PipelineDeps,
  done: readonly ChunkDone[],
  durationS: number,
  job: TranscribeJob,
): Transcript {
  const language = done.find((d) => d.asr.language)?.asr.language ?? null
  const duration = Math.round(durationS * 1000) / 1000
  if (!job.diarize) {
    const results: ChunkResult[] = done.map((d) => ({
      chunk: d.chunk,
      words: d.asr.words,
      segments: d.asr.segments,
    }))
    return { duration, language, ...stitch(results) }
  }
  const results: ChunkResult[] = done.map((d) => ({
    chunk: d.chunk,
    words: assignSpeakers(d.asr.words, d.diarized?.segments ?? []),
    segments: [],
  }))
  const parts = done.map((d) => ({ ...d.chunk, diarized: d.diarized as DiarizeResult }))
  const relabel = deps.linkSpeakers?.(parts, job.speakers ?? {})
  const stitched = stitch(results, relabel ? { relabel } : {})
  const named: { words: Word[]; speakers: string[] } = relabel
    ? { words: stitched.words, speakers: distinctSpeakers(stitched.words) }
    : numberSpeakers(stitched.words)
  const segments: Segment[] = speakerBlocks(named.words)
  return {
    duration,
    language,
    text: segments.map((s) => s.text).join(' '),
    words: named.words,
    segments,
    speakers: named.speakers,
  }
}

const distinctSpeakers = (words: readonly Word[]) => [
  ...new Set(words.flatMap((w) => (w.speaker === undefined ? [] : [w.speaker]))),
]
