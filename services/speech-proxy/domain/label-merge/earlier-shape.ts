/**
 * The answer of the earlier `/api/audio/label-merge`, from the merge result. Clients of the earlier
 * version read milliseconds when they asked for a transcript (`transcribe=true`) and seconds with
 * the diarizer's confidence when they did not; both carry the speaker's name (timeline,
 * voiceprint, or `Unknown_N`) and `source` (`mic_channel` for the user's own lines). The new
 * `/v1/audio/label-merge` answers the merge result itself, in seconds.
 */
import type { MergeResult, SegmentSource } from './merge.ts'

export interface EarlierTranscribedSegment {
  start_ms: number
  end_ms: number
  text: string
  speaker: string
  source: SegmentSource
}

export interface EarlierTimedSegment {
  start_s: number
  end_s: number
  confidence: number | null
  speaker: string
  source: SegmentSource
}

export interface EarlierLabelMerge<S> {
  /** Seconds. */
  duration: number
  speakers: string[]
  segments: S[]
  /** Name → speaker embedding (192 floats), to send back as `known_voiceprints` next time. */
  fingerprints: Record<string, number[]>
}

const ms = (s: number) => Math.round(s * 1000)
/** Seconds to the millisecond, so float noise does not show on the wire. */
const secs = (s: number) => Math.round(s * 1000) / 1000

export function toEarlierLabelMerge(
  result: MergeResult,
  opts: { transcribe: true; fingerprints?: Record<string, number[]> },
): EarlierLabelMerge<EarlierTranscribedSegment>
export function toEarlierLabelMerge(
  result: MergeResult,
  opts: { transcribe: false; fingerprints?: Record<string, number[]> },
): EarlierLabelMerge<EarlierTimedSegment>
export function toEarlierLabelMerge(
  result: MergeResult,
  opts: { transcribe: boolean; fingerprints?: Record<string, number[]> },
): EarlierLabelMerge<EarlierTranscribedSegment | EarlierTimedSegment> {
  const segments = result.segments.map((s) =>
    opts.transcribe
      ? { start_ms: ms(s.start), end_ms: ms(s.end), text: s.text, speaker: s.name, source: s.source }
      : {
          start_s: secs(s.start),
          end_s: secs(s.end),
          confidence: s.confidence,
          speaker: s.name,
          source: s.source,
        },
  )
  return {
    duration: result.duration,
    speakers: result.speakers,
    segments,
    fingerprints: opts.fingerprints ?? {},
  }
}
