/**
 * A diarized transcript's speakers, taken the way the diarization route takes them: the job's
 * normalised audio cut at pauses into the diarizer's own short chunks (40 s, 6 s margins — see
 * DIARIZE_CHUNKING), each through the `diarize` lane, and the chunk-local labels linked into the
 * recording's speakers. The transcription's ~2-minute ASR chunks are not diarized: one of them can
 * hold more voices than Sortformer's four slots, and two voices sharing a slot cannot be told apart
 * again by any linking.
 */
import type { Priority } from '../admission/lanes.ts'
import { type Chunk, type ChunkPlanOptions, planChunks } from '../audio/chunking.ts'
import type { Timed } from '../audio/types.ts'
import { DIARIZE_CHUNKING } from '../diarize/pipeline.ts'
import { type GlobalTurn, type LinkChunk, linkSpeakers } from '../speakers/link.ts'
import type { AudioTools, DiarizeResult, Lanes, SpeakerHints, SpeechEngine, Workspace } from './ports.ts'
import { mapWindow } from './window.ts'

export interface SpeakerTrackDeps {
  tools: Pick<AudioTools, 'cut'>
  engine: Pick<SpeechEngine, 'diarizeChunk'>
  lanes: Lanes
  /** Cosine at which two voices are one (SPEECH_LINK_THRESHOLD). */
  linkThreshold: number
  chunking?: ChunkPlanOptions
  chunkWindow: number
  now: () => number
}

export interface SpeakerTrackJob {
  /** The job's 16 kHz mono file and its length. */
  mono: string
  durationS: number
  /** The pauses in `mono`, found once per job. */
  silences(): Promise<Timed[]>
  chunking: 'auto' | 'off'
  hints: SpeakerHints
  client: string
  priority: Priority
  /** The job's diarize budget left now, in ms; throws once it is spent. */
  deadlineMs(): number
  signal: AbortSignal
}

export interface SpeakerTrack {
  /** File-time turns with the recording's labels, in time order. */
  turns: GlobalTurn[]
  model: string | null
  /** Where the first chunk stood in the diarize queue on arrival. */
  position: number
  chunks: number
  /** Milliseconds summed over chunks. */
  timings: { queue: number; decode: number; diar: number; merge: number }
}

export async function speakerTrack(
  deps: SpeakerTrackDeps,
  ws: Workspace,
  job: SpeakerTrackJob,
): Promise<SpeakerTrack> {
  const { tools, now } = deps
  const timings = { queue: 0, decode: 0, diar: 0, merge: 0 }
  const planned = now()
  const plan = await chunkPlan(deps, job)
  timings.decode += now() - planned
  let position = 0
  const parts = await mapWindow(plan, deps.chunkWindow, job.signal, async (chunk, signal) => {
    const path = plan.length === 1 ? job.mono : ws.file(`speakers-${chunk.index}.wav`)
    const cutStarted = now()
    if (plan.length > 1) await tools.cut(job.mono, path, chunk.start, chunk.end - chunk.start, signal)
    timings.decode += now() - cutStarted
    const admitted = await deps.lanes.run(
      {
        lane: 'diarize',
        client: job.client,
        priority: job.priority,
        deadlineMs: job.deadlineMs(),
        work: Math.max(chunk.end - chunk.start, 0.001),
        signal,
      },
      (sig) => deps.engine.diarizeChunk(path, { signal: sig }),
    )
    if (chunk.index === 0) position = admitted.position
    timings.queue += admitted.queueMs
    timings.diar += admitted.serviceMs
    return { ...chunk, diarized: admitted.value } satisfies LinkChunk & { diarized: DiarizeResult }
  })
  const linkStarted = now()
  const linked = linkSpeakers(parts, {
    threshold: deps.linkThreshold,
    numSpeakers: job.hints.num,
    minSpeakers: job.hints.min,
    maxSpeakers: job.hints.max,
  })
  timings.merge += now() - linkStarted
  const model = parts.find((p) => p.diarized.models?.diarization)?.diarized.models?.diarization ?? null
  return { turns: linked.segments, model, position, chunks: plan.length, timings }
}

async function chunkPlan(deps: SpeakerTrackDeps, job: SpeakerTrackJob): Promise<Chunk[]> {
  const opts = deps.chunking ?? DIARIZE_CHUNKING
  if (job.chunking === 'off' || job.durationS <= opts.maxS)
    return [{ index: 0, start: 0, end: job.durationS, bodyStart: 0, bodyEnd: job.durationS }]
  return planChunks(job.durationS, await job.silences(), opts)
}
