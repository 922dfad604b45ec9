/**
 * What the diarizer says about one chunk of audio (Parakeet's `/v1/audio/diarize-chunk`, the
 * earlier version's wire shape): Sortformer turns in chunk-local seconds with chunk-local labels
 * (at most four, in no particular order), and per speaker a TitaNet voice embedding when the
 * upstream computes them. Linking these labels across chunks is domain/speakers' job.
 */

export interface DiarizedTurn {
  start_s: number
  end_s: number
  /** Chunk-local label (`Speaker_0`…); the same label in another chunk may be someone else. */
  speaker: string
  confidence?: number
}

export interface DiarizedChunk {
  /** Seconds of audio the diarizer heard. */
  duration: number
  segments: DiarizedTurn[]
  speakers_detected: string[]
  /** Speaker label → voice embedding (192 floats from TitaNet); empty when the upstream sends none. */
  fingerprints: Record<string, number[]>
}
