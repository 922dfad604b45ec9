/**
 * One transcription, upload to transcript: probe (415 for what is not audio), normalise to 16 kHz
 * mono (a stereo file whose channels are the same signal is read from one channel, any other is
 * mixed), then either one upstream call or — for audio longer than one chunk — cut at silences,
 * each chunk through the ASR lane, stitched back with file-wide timestamps. When speakers are asked
 * for, the diarizer works beside it over the same normalised audio in its own short chunks
 * (speaker-track.ts), and each word takes the recording-wide speaker of the turn it falls in. Every
 * derived file lives in a per-job workspace that is removed however the job ends.
 */

import { AppError } from '../../../../shared/errors.ts'
import type { Priority } from '../admission/lanes.ts'
import { type Chunk, type ChunkPlanOptions, DEFAULT_CHUNKING, planChunks } from '../audio/chunking.ts'
import { type ChunkResult, stitch } from '../audio/stitch.ts'
import type { Timed, Transcript } from '../audio/types.ts'
import { DEFAULT_DIARIZATION_MODEL } from '../diarize/pipeline.ts'
import { DEFAULT_STT_MODEL } from '../models.ts'
import { DEFAULT_LINK_THRESHOLD } from '../speakers/link.ts'
import type { AsrResult, AudioTools, Lanes, SpeakerHints, SpeechEngine, Workspace } from './ports.ts'
import { type SpeakerTrack, speakerTrack } from './speaker-track.ts'
import { assignSpeakers, numberSpeakers, speakerBlocks } from './speakers.ts'
import { mapWindow } from './window.ts'

export { DEFAULT_DIARIZATION_MODEL }

/**
 * Chunks of one job in flight at once, per lane: enough to keep the lanes busy, few enough for the
 * client's quota (a diarized job has up to this many ASR and this many diarizer calls out).
 */
const CHUNK_WINDOW = 4

export interface PipelineDeps {
  tools: AudioTools
  engine: SpeechEngine
  lanes: Lanes
  workspace(): Promise<Workspace>
  /** Cosine at which two voices are one when linking a long recording's speakers (SPEECH_LINK_THRESHOLD). */
  linkThreshold?: number
  /** The ASR chunks. */
  chunking?: ChunkPlanOptions
  /** The diarizer's chunks; the diarization route's by default. */
  speakerChunking?: ChunkPlanOptions
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
  /** Where the job's first chunk stood in its lane's queue on arrival (the further back of ASR and diarizer); 0 = it ran at once. */
  queuePosition: number
  /** ASR chunks. */
  chunks: number
  timings: Timings
}

interface ChunkDone {
  chunk: Chunk
  asr: AsrResult
  /** Where the chunk stood in the ASR queue on arrival. */
  position: number
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
  let pauses: Promise<Timed[]> | undefined
  const silences = () => {
    pauses ??= tools.silences(mono, signal)
    return pauses
  }
  const plan = await chunkPlan(deps, job, info.durationS, silences)
  timings.decode += now() - started

  const priority = job.priority ?? (plan.length > 1 ? 'batch' : 'standard')
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
  const window = deps.chunkWindow ?? CHUNK_WINDOW
  const transcribeAll = (chunkSignal: AbortSignal) =>
    mapWindow(plan, window, chunkSignal, async (chunk, s) => {
      const cutStarted = now()
      const path = plan.length === 1 ? mono : ws.file(`chunk-${chunk.index}.wav`)
      if (plan.length > 1) await tools.cut(mono, path, chunk.start, chunk.end - chunk.start, s)
      timings.decode += now() - cutStarted
      const asr = await deps.lanes.run(
        {
          lane: 'asr',
          client: job.client,
          priority,
          work: Math.max(chunk.end - chunk.start, 0.001),
          deadlineMs: remaining(job.deadlines.asr),
          signal: s,
        },
        (sig) => deps.engine.transcribe(path, { language: job.language, signal: sig }),
      )
      timings.queue += asr.queueMs
      timings.asr += asr.serviceMs
      return { chunk, asr: asr.value, position: asr.position }
    })
  const speakersOf = (s: AbortSignal) =>
    speakerTrack(
      {
        tools,
        engine: deps.engine,
        lanes: deps.lanes,
        linkThreshold: deps.linkThreshold ?? DEFAULT_LINK_THRESHOLD,
        chunking: deps.speakerChunking,
        chunkWindow: window,
        now,
      },
      ws,
      {
        mono,
        durationS: info.durationS,
        silences,
        chunking: job.chunking,
        hints: job.speakers ?? {},
        client: job.client,
        priority,
        deadlineMs: () => remaining(job.deadlines.diarize),
        signal: s,
      },
    )
  const [done, track] = await both(signal, transcribeAll, job.diarize ? speakersOf : null)
  if (track) {
    timings.queue += track.timings.queue
    timings.decode += track.timings.decode
    timings.diar += track.timings.diar
    timings.merge += track.timings.merge
  }

  const mergeStarted = now()
  const transcript = merge(done, info.durationS, track)
  timings.merge += now() - mergeStarted
  return {
    transcript,
    models: {
      transcription: done.find((d) => d.asr.model)?.asr.model ?? DEFAULT_STT_MODEL,
      diarization: track ? (track.model ?? DEFAULT_DIARIZATION_MODEL) : null,
    },
    queuePosition: Math.max(done[0]?.position ?? 0, track?.position ?? 0),
    chunks: plan.length,
    timings,
  }
}

async function chunkPlan(
  deps: PipelineDeps,
  job: TranscribeJob,
  durationS: number,
  silences: () => Promise<Timed[]>,
): Promise<Chunk[]> {
  const opts = deps.chunking ?? DEFAULT_CHUNKING
  if (job.chunking === 'off' || durationS <= opts.maxS)
    return [{ index: 0, start: 0, end: durationS, bodyStart: 0, bodyEnd: durationS }]
  return planChunks(durationS, await silences(), opts)
}

/**
 * Runs one or two calls side by side; when one fails the other is aborted, and the first failure
 * is thrown once both have settled. The first in time, not in order: the call aborted because the
 * other failed rejects too ("the client went away"), and reporting that would hide the cause (a
 * wedged diarizer answered as a 499).
 */
async function both<A, B>(
  signal: AbortSignal,
  first: (s: AbortSignal) => Promise<A>,
  second: ((s: AbortSignal) => Promise<B>) | null,
): Promise<[A, B | null]> {
  const stop = new AbortController()
  const shared = AbortSignal.any([signal, stop.signal])
  let cause: { error: unknown } | null = null
  const guard = <T>(p: Promise<T>) =>
    p.catch((err: unknown) => {
      if (!cause) {
        cause = { error: err }
        stop.abort(err)
      }
      throw err
    })
  const settled = await Promise.allSettled([guard(first(shared)), second ? guard(second(shared)) : null])
  if (cause) throw (cause as { error: unknown }).error
  const [a, b] = settled as [PromiseFulfilledResult<A>, PromiseFulfilledResult<B | null>]
  return [a.value, b.value]
}

/** The stitched words; with speakers, each word labelled from the recording-wide turns, in speaker blocks. */
function merge(done: readonly ChunkDone[], durationS: number, track: SpeakerTrack | null): Transcript {
  const language = done.find((d) => d.asr.language)?.asr.language ?? null
  const duration = Math.round(durationS * 1000) / 1000
  if (!track) {
    const results: ChunkResult[] = done.map((d) => ({
      chunk: d.chunk,
      words: d.asr.words,
      segments: d.asr.segments,
    }))
    return { duration, language, ...stitch(results) }
  }
  const stitched = stitch(done.map((d) => ({ chunk: d.chunk, words: d.asr.words, segments: [] })))
  const named = numberSpeakers(assignSpeakers(stitched.words, track.turns))
  const segments = speakerBlocks(named.words)
  return {
    duration,
    language,
    text: segments.map((s) => s.text).join(' '),
    words: named.words,
    segments,
    speakers: named.speakers,
  }
}
