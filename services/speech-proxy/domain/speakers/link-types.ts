/** The shapes speaker linking reads and writes. */
import type { Chunk } from '../audio/chunking.ts'
import type { DiarizedChunk } from './types.ts'

/** One chunk of the plan with what the diarizer said about it (chunk-local seconds and labels). */
export interface LinkChunk extends Chunk {
  diarized: DiarizedChunk
}

export interface LinkOptions {
  /** Cosine at or above which two voices (or a voice and a known voiceprint) are the same. */
  threshold: number
  /** Exactly this many speakers, when the caller knows. */
  numSpeakers?: number
  minSpeakers?: number
  maxSpeakers?: number
  /** Name → 192-float voiceprint; a speaker close enough takes the name. */
  known?: Readonly<Record<string, readonly number[]>>
}

/** A turn in file seconds with its recording-wide speaker. */
export interface GlobalTurn {
  start: number
  end: number
  speaker: string
  confidence?: number
}

export interface Linked {
  /** The recording-wide speaker of a chunk's local label (the local label itself if never seen). */
  labelOf(chunkIndex: number, local: string): string
  /** Turns owned by each chunk's body, in time order, touching turns of one speaker joined. */
  segments: GlobalTurn[]
  /** In order of first appearance. */
  speakers: string[]
  /** Per speaker, the mean of its local embeddings (unit length); only speakers that had any. */
  fingerprints: Record<string, number[]>
}

export const DEFAULT_LINK_THRESHOLD = 0.7
