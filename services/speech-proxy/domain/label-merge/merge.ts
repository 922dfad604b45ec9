/**
 * The merge: words (or, without transcription, speech turns) of every person laid on one time
 * line and grouped into segments. A person's segment goes on until they pause for longer than
 * `pauseS` or someone else speaks in the gap; segments of two people that overlap in time are both
 * kept and marked `overlap`, never cut into one another.
 */
import { joinWords } from '../audio/words.ts'
import type { Span } from './bleed.ts'
import type { NameSource, SpeakerName, Turn } from './naming.ts'

export interface Piece extends Span {
  text?: string
  confidence?: number
}

export type SegmentSource = 'mic_channel' | NameSource

export interface MergedSegment {
  start: number
  end: number
  /** The diarizer's label (`self` for the mic side). */
  speaker: string
  name: string
  text: string
  /** 0 = mic, 1 = system audio, null for a mono file. */
  channel: 0 | 1 | null
  source: SegmentSource
  confidence: number | null
  /** Someone else speaks during part of this segment. */
  overlap: boolean
}

export interface MergeResult {
  duration: number
  /** Names in order of first appearance. */
  speakers: string[]
  segments: MergedSegment[]
}

/** Who a piece belongs to, as the merge needs it. */
export interface Voice {
  speaker: string
  name: string
  channel: 0 | 1 | null
  source: SegmentSource
  confidence: number | null
}

export interface VoicedPiece extends Piece {
  voice: Voice
}

export const DEFAULT_PAUSE_S = 1.5
export const SELF_SPEAKER = 'self'
/** Times are float seconds: a pause of exactly `pauseS` must not split on rounding. */
const TIME_EPSILON = 1e-6

export const selfVoice = (name: string): Voice => ({
  speaker: SELF_SPEAKER,
  name,
  channel: 0,
  source: 'mic_channel',
  confidence: null,
})

export function voiceOf(speaker: string, named: SpeakerName | undefined, channel: 1 | null): Voice {
  const n = named ?? { name: speaker, source: 'diarizer' as const, confidence: null }
  return { speaker, name: n.name, channel, source: n.source, confidence: n.confidence }
}

/** Each word goes to the diarizer turn it overlaps most, else to the nearest turn. */
export function assignSpeakers<W extends Span>(
  words: readonly W[],
  turns: readonly Turn[],
): (W & { speaker: string })[] {
  if (turns.length === 0) return []
  return words.map((w) => {
    let best = turns[0] as Turn
    let bestScore = Number.NEGATIVE_INFINITY
    for (const t of turns) {
      const o = Math.min(w.end, t.end) - Math.max(w.start, t.start)
      // Overlap counts first; without any, the smaller distance wins (a negative overlap is a gap).
      if (o > bestScore) {
        best = t
        bestScore = o
      }
    }
    return { ...w, speaker: best.speaker }
  })
}

const personOf = (v: Voice) => `${v.channel}\u0000${v.name}`

export function mergePieces(
  pieces: readonly VoicedPiece[],
  duration: number,
  pauseS = DEFAULT_PAUSE_S,
): MergeResult {
  const ordered = [...pieces].sort((a, b) => a.start - b.start || a.end - b.end)
  const open = new Map<string, { pieces: VoicedPiece[]; lastEnd: number; interruptedBy: number }>()
  const groups: VoicedPiece[][] = []
  for (const piece of ordered) {
    const person = personOf(piece.voice)
    const mine = open.get(person)
    const breaks =
      !mine || piece.start - mine.lastEnd > pauseS + TIME_EPSILON || mine.interruptedBy <= piece.start
    for (const [other, run] of open)
      if (other !== person && piece.start >= run.lastEnd)
        run.interruptedBy = Math.min(run.interruptedBy, piece.end)
    if (breaks) {
      const run = { pieces: [piece], lastEnd: piece.end, interruptedBy: Number.POSITIVE_INFINITY }
      open.set(person, run)
      groups.push(run.pieces)
    } else if (mine) {
      mine.pieces.push(piece)
      mine.lastEnd = Math.max(mine.lastEnd, piece.end)
      // A new gap starts here: only what is said inside it can interrupt.
      mine.interruptedBy = Number.POSITIVE_INFINITY
    }
  }
  const segments = markOverlaps(groups.map(toSegment).sort((a, b) => a.start - b.start || a.end - b.end))
  return { duration, speakers: [...new Set(segments.map((s) => s.name))], segments }
}

function toSegment(group: readonly VoicedPiece[]): MergedSegment {
  const first = group[0] as VoicedPiece
  const confidences = group.flatMap((p) => (p.confidence === undefined ? [] : [p.confidence]))
  const { voice } = first
  return {
    start: first.start,
    end: group.reduce((end, p) => Math.max(end, p.end), first.end),
    speaker: voice.speaker,
    name: voice.name,
    text: joinWords(group.flatMap((p) => (p.text === undefined ? [] : [p.text]))),
    channel: voice.channel,
    source: voice.source,
    confidence: confidences.length
      ? confidences.reduce((a, b) => a + b, 0) / confidences.length
      : voice.confidence,
    overlap: false,
  }
}

/** Sorted by start: each segment looks ahead at the ones starting before it ends. */
function markOverlaps(segments: MergedSegment[]): MergedSegment[] {
  for (let i = 0; i < segments.length; i++) {
    const a = segments[i] as MergedSegment
    for (let j = i + 1; j < segments.length && (segments[j] as MergedSegment).start < a.end; j++) {
      const b = segments[j] as MergedSegment
      if (b.name !== a.name || b.channel !== a.channel) {
        a.overlap = true
        b.overlap = true
      }
    }
  }
  return segments
}
