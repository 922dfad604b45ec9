/**
 * One diarization, upload to speakers: probe (415 for what is not audio), normalise to 16 kHz mono,
 * cut long audio at silences into chunks short enough that Sortformer's four slots rarely have to
 * hold more voices than that, diarize each through the `diarize` admission lane, then link the
 * chunk-local labels into the recording's speakers (domain/speakers). Reference clips of known
 * speakers go through the same upstream, and their voice embeddings name the speakers they match.
 */
import type { Priority } from '../admission/lanes.ts'
import { type Chunk, type ChunkPlanOptions, planChunks } from '../audio/chunking.ts'
import { type GlobalTurn, type LinkChunk, linkSpeakers } from '../speakers/link.ts'
import type {
  AudioTools,
  DiarizeResult,
  Lanes,
  SpeakerHints,
  SpeechEngine,
  Workspace,
} from '../transcribe/ports.ts'
import { mapWindow } from '../transcribe/window.ts'
import { voiceprintOf } from './references.ts'

export const DEFAULT_DIARIZATION_MODEL = 'nvidia/diar_sortformer_4spk-v1'

/**
 * Diarization chunks are shorter than transcription's: a chunk holding more than four voices gets
 * two of them under one label, which no linking can undo, and the margins are where linking finds
 * its overlap evidence.
 */
export const DIARIZE_CHUNKING: ChunkPlanOptions = { targetS: 40, maxS: 56, marginS: 6 }
const CHUNK_WINDOW = 4

export interface DiarizeDeps {
  tools: AudioTools
  engine: Pick<SpeechEngine, 'diarizeChunk'>
  lanes: Lanes
  workspace(): Promise<Workspace>
  /** Cosine at which two voices are one (SPEECH_LINK_THRESHOLD). */
  linkThreshold: number
  chunking?: ChunkPlanOptions
  chunkWindow?: number
  now?: () => number
}

export interface KnownSpeaker {
  name: string
  /** A short clip of the speaker alone, as uploaded (any format ffmpeg reads). */
  path: string
}

export interface DiarizeJob {
  path: string
  hints: SpeakerHints
  known: readonly KnownSpeaker[]
  priority?: Priority
  client: string
  /** Budget from the job's start, in ms. */
  deadlineMs: number
  /** `off`: one upstream call for the whole file, as the earlier version did. */
  chunking: 'auto' | 'off'
  signal: AbortSignal
}

export interface DiarizeTimings {
  queue: number
  decode: number
  diar: number
  merge: number
}

export interface DiarizeOutcome {
  duration: number
  segments: GlobalTurn[]
  speakers: string[]
  fingerprints: Record<string, number[]>
  models: { diarization: string; embedding: string | null }
  queuePosition: number
  chunks: number
  timings: DiarizeTimings
}

/** One chunk a client cut itself: the upstream's answer as it is, chunk-local labels and all. */
export type ChunkJob = Omit<DiarizeJob, 'hints' | 'known' | 'chunking'>

export interface ChunkOutcome {
  chunk: DiarizeResult & { models: { diarization: string; embedding?: string } }
  queuePosition: number
  timings: DiarizeTimings
}

export function createDiarizer(deps: DiarizeDeps) {
  const inWorkspace = async <T>(fn: (ws: Workspace) => Promise<T>) => {
    const ws = await deps.workspace()
    try {
      return await fn(ws)
    } finally {
      await ws.remove()
    }
  }
  return {
    diarize: (job: DiarizeJob): Promise<DiarizeOutcome> => inWorkspace((ws) => run(deps, job, ws)),
    diarizeChunk: (job: ChunkJob): Promise<ChunkOutcome> =>
      inWorkspace(async (ws) => {
        const { mono, info, lane, timings } = await start(deps, job, ws, () => 'standard')
        const admitted = await lane(mono, info.durationS, job.signal)
        const chunk = admitted.value
        const models = {
          ...chunk.models,
          diarization: chunk.models?.diarization ?? DEFAULT_DIARIZATION_MODEL,
        }
        return { chunk: { ...chunk, models }, queuePosition: admitted.position, timings }
      }),
  }
}

export type Diarizer = ReturnType<typeof createDiarizer>

/** Probe and normalise the upload, and a way to run one diarizer call through the lane. */
async function start(
  deps: DiarizeDeps,
  job: ChunkJob,
  ws: Workspace,
  defaultPriority: (durationS: number) => Priority,
) {
  const now = deps.now ?? (() => performance.now())
  const started = now()
  const timings: DiarizeTimings = { queue: 0, decode: 0, diar: 0, merge: 0 }
  const info = await deps.tools.probe(job.path, job.signal)
  const mono = ws.file('audio.wav')
  const identical = info.channels === 2 && (await deps.tools.channelsIdentical(job.path, job.signal))
  await deps.tools.toMono16k(job.path, mono, job.signal, identical ? { channel: 0 } : {})
  timings.decode += now() - started
  const lane = async (path: string, work: number, signal: AbortSignal) => {
    const deadlineMs = Math.max(1, job.deadlineMs - (now() - started))
    const admitted = await deps.lanes.run(
      {
        lane: 'diarize',
        client: job.client,
        priority: job.priority ?? defaultPriority(info.durationS),
        deadlineMs,
        work: Math.max(work, 0.001),
        signal,
      },
      (sig) => deps.engine.diarizeChunk(path, { signal: sig }),
    )
    timings.queue += admitted.queueMs
    timings.diar += admitted.serviceMs
    return admitted
  }
  return { info, mono, lane, timings, now }
}

async function run(deps: DiarizeDeps, job: DiarizeJob, ws: Workspace): Promise<DiarizeOutcome> {
  const { tools } = deps
  const maxS = (deps.chunking ?? DIARIZE_CHUNKING).maxS
  // A long file's chunks queue as batch work unless the client said otherwise.
  const { info, mono, lane, timings, now } = await start(deps, job, ws, (durationS) =>
    job.chunking === 'auto' && durationS > maxS ? 'batch' : 'standard',
  )
  const cutStarted = now()
  const plan = await chunkPlan(deps, job, mono, info.durationS)
  timings.decode += now() - cutStarted
  let queuePosition = 0
  const window = deps.chunkWindow ?? CHUNK_WINDOW
  // Reference clips first: an unusable one fails the request before the long work starts.
  const known = await mapWindow(job.known, window, job.signal, async (k, signal) => {
    const clip = ws.file(`known-${job.known.indexOf(k)}.wav`)
    await tools.toMono16k(k.path, clip, signal)
    const { durationS } = await tools.probe(clip, signal)
    return [k.name, voiceprintOf(k.name, (await lane(clip, durationS, signal)).value)] as const
  })

  const parts = await mapWindow(plan, window, job.signal, async (chunk, signal): Promise<LinkChunk> => {
    const path = plan.length === 1 ? mono : ws.file(`chunk-${chunk.index}.wav`)
    const cutStarted = now()
    if (plan.length > 1) await tools.cut(mono, path, chunk.start, chunk.end - chunk.start, signal)
    timings.decode += now() - cutStarted
    const admitted = await lane(path, chunk.end - chunk.start, signal)
    if (chunk.index === 0) queuePosition = admitted.position
    return { ...chunk, diarized: admitted.value }
  })
  const mergeStarted = now()
  const linked = linkSpeakers(parts, {
    threshold: deps.linkThreshold,
    numSpeakers: job.hints.num,
    minSpeakers: job.hints.min,
    maxSpeakers: job.hints.max,
    known: Object.fromEntries(known),
  })
  timings.merge += now() - mergeStarted
  return {
    duration: Math.round(info.durationS * 1000) / 1000,
    segments: linked.segments,
    speakers: linked.speakers,
    fingerprints: linked.fingerprints,
    models: modelsOf(parts.map((p) => p.diarized as DiarizeResult)),
    queuePosition,
    chunks: plan.length,
    timings,
  }
}

async function chunkPlan(
  deps: DiarizeDeps,
  job: DiarizeJob,
  mono: string,
  durationS: number,
): Promise<Chunk[]> {
  const opts = deps.chunking ?? DIARIZE_CHUNKING
  if (job.chunking === 'off' || durationS <= opts.maxS)
    return [{ index: 0, start: 0, end: durationS, bodyStart: 0, bodyEnd: durationS }]
  return planChunks(durationS, await deps.tools.silences(mono, job.signal), opts)
}

function modelsOf(results: readonly DiarizeResult[]): DiarizeOutcome['models'] {
  const said = results.find((r) => r.models?.diarization)?.models
  return {
    diarization: said?.diarization ?? DEFAULT_DIARIZATION_MODEL,
    embedding: results.find((r) => r.models?.embedding)?.models?.embedding ?? null,
  }
}
