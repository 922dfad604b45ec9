/**
 * The transcript as the audio pipeline holds it: seconds everywhere, speakers as labels. Routes
 * render it (formats.ts); the diarizer and label-merge fill in `speaker` and `channel`.
 */

export interface Word {
  word: string
  start: number
  end: number
  speaker?: string
  channel?: number
  confidence?: number
}

export interface Segment {
  id: number
  start: number
  end: number
  text: string
  speaker?: string
  channel?: number
  words?: Word[]
}

export interface Transcript {
  duration: number
  language: string | null
  text: string
  words: Word[]
  segments: Segment[]
  speakers?: string[]
}

/** Anything placed in time (words, segments, diarizer turns). */
export interface Timed {
  start: number
  end: number
}
