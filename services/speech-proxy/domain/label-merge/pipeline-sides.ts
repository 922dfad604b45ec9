/**
 * Label-merge's per-side work done by the service's own pipelines: the transcription pipeline for
 * the words (long sides chunked at silences, chunks through the `asr` lane, stitched) and the
 * diarizer for the speakers (chunked, the `diarize` lane, chunk-local labels linked into the
 * recording's speakers with their mean voice embeddings).
 */
import type { Diarizer } from '../diarize/pipeline.ts'
import type { Pipeline } from '../transcribe/pipeline.ts'
import type { LabelMergePorts, SideJob } from './pipeline.ts'

export interface SideDeps {
  transcriber: Pipeline
  diarizer: Diarizer
  /** Budgets of one request's ASR and diarizer work, queue included, in ms. */
  deadlines: { asr: number; diarize: number }
}

export function sideWork(deps: SideDeps): Pick<LabelMergePorts, 'transcribe' | 'diarize'> {
  const common = (job: SideJob) => ({
    path: job.path16k,
    client: job.client,
    ...(job.priority ? { priority: job.priority } : {}),
    chunking: 'auto' as const,
    signal: job.signal,
  })
  return {
    async transcribe(job) {
      const out = await deps.transcriber.transcribe({
        ...common(job),
        diarize: false,
        deadlines: deps.deadlines,
      })
      const { queue, decode, asr, merge } = out.timings
      return {
        words: out.transcript.words.map(({ word, start, end, confidence }) => ({
          word,
          start,
          end,
          ...(confidence === undefined ? {} : { confidence }),
        })),
        queuePosition: out.queuePosition,
        timings: { queue, decode, asr, merge },
      }
    },
    async diarize(job) {
      const out = await deps.diarizer.diarize({
        ...common(job),
        hints: {},
        known: [],
        deadlineMs: deps.deadlines.diarize,
      })
      return {
        turns: out.segments,
        fingerprints: out.fingerprints,
        queuePosition: out.queuePosition,
        timings: out.timings,
      }
    },
  }
}
