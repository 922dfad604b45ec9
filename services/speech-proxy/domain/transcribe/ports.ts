/**
 * What the transcription pipeline needs from the outside, as ports: the audio tools (ffmpeg), the
 * ASR and diarizer upstream (Parakeet), a scratch directory per job, and the admission lanes. The
 * adapters implement them; tests pass fakes.
 */

import type { Admission } from '../admission/admission.ts'
import type { Segment, Timed, Word } from '../audio/types.ts'
import type { DiarizedChunk } from '../speakers/types.ts'

/** One upstream transcription, in the audio's own seconds (0 = the start of what was sent). */
export interface AsrResult {
  duration: number
  language: string | null
  text: string
  words: Word[]
  segments: Segment[]
  /** The model that answered, when the upstream says. */
  model: string | null
}

/** A diarized chunk plus the models that made it, when the upstream says. */
export interface DiarizeResult extends DiarizedChunk {
  models?: { diarization?: string; embedding?: string }
}

export interface CallOptions {
  signal: AbortSignal
  /** Per-call deadline; the adapter's configured one when absent. */
  timeoutMs?: number
}

export interface SpeechEngine {
  transcribe(path16k: string, opts: CallOptions & { language?: string }): Promise<AsrResult>
  diarizeChunk(path16k: string, opts: CallOptions): Promise<DiarizeResult>
}

export interface AudioInfo {
  durationS: number
  channels: number
}

export interface AudioTools {
  /** 415 for anything that is not audio. */
  probe(path: string, signal: AbortSignal): Promise<AudioInfo>
  channelsIdentical(path: string, signal: AbortSignal): Promise<boolean>
  toMono16k(path: string, out: string, signal: AbortSignal, opts?: { channel?: 0 | 1 }): Promise<void>
  silences(path16k: string, signal: AbortSignal): Promise<Timed[]>
  cut(path16k: string, out: string, startS: number, durS: number, signal: AbortSignal): Promise<void>
}

/** A private scratch directory; `remove` deletes it and everything in it. */
export interface Workspace {
  file(name: string): string
  remove(): Promise<void>
}

export type Lanes = Pick<Admission, 'run'>

/** The client's speaker-count hints (`num_speakers`, `min_speakers`, `max_speakers`). */
export interface SpeakerHints {
  num?: number
  min?: number
  max?: number
}
