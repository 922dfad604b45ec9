/**
 * Label-merge end to end, on data the route has already gathered (envelopes of the channels, the
 * ASR words, the diarizer's turns on the far side or the whole mono file).
 *
 * Dual channel: the mic carries the user (and some of the far side, leaked); the system track
 * everyone else. The bleed is estimated and gated, bled words are dropped from the mic side, the
 * far side keeps its diarizer speakers named from the timeline or voiceprints.
 * Mono: one diarized file, every speaker named the same way.
 */
import { type BleedEstimate, estimateBleed, type Span } from './bleed.ts'
import { type DroppedWord, removeBledWords, type TimedWord } from './dedup.ts'
import type { Envelope } from './envelope.ts'
import { type Gate, gateMic, gateSpans } from './gate.ts'
import {
  assignSpeakers,
  DEFAULT_PAUSE_S,
  type MergeResult,
  mergePieces,
  type Piece,
  selfVoice,
  type VoicedPiece,
  voiceOf,
} from './merge.ts'
import { fingerprintsByName, type NamingInput, nameSpeakers, type SpeakerName, type Turn } from './naming.ts'

interface Common extends NamingInput {
  /** Seconds; the route knows it from the probe. */
  duration: number
  pauseS?: number
}

export interface DualChannelInput extends Common {
  mic: Envelope
  system: Envelope
  selfName: string
  selfVad?: readonly Span[]
  /** ASR words of each channel; left out when only speaker turns are asked for (`transcribe=false`). */
  micWords?: readonly TimedWord[]
  systemWords?: readonly TimedWord[]
  /** The diarizer on the system channel. */
  systemTurns: readonly Turn[]
  marginDb?: number
}

export interface LabelMergeOutcome {
  result: MergeResult
  names: Map<string, SpeakerName>
  /** Name → embedding, for the earlier answer's `fingerprints`. */
  fingerprints: Record<string, number[]>
}

export interface DualChannelOutcome extends LabelMergeOutcome {
  bleed: BleedEstimate
  gate: Gate
  dropped: DroppedWord<TimedWord>[]
}

/** Without a diarizer turn, the far side's words are one unnamed speaker. */
const REMOTE_FALLBACK = 'speaker_0'

/** Words placed on the diarizer's speakers, or the turns themselves when there are no words. */
function remotePieces(words: readonly TimedWord[] | undefined, turns: readonly Turn[]) {
  if (!words) return { pieces: [...turns], turns }
  const known = turns.length
    ? turns
    : words.map((w) => ({ start: w.start, end: w.end, speaker: REMOTE_FALLBACK }))
  return { pieces: assignSpeakers(words.map(asPiece), known), turns: known }
}

const asPiece = (w: TimedWord): Piece => ({
  start: w.start,
  end: w.end,
  text: w.word,
  ...(w.confidence === undefined ? {} : { confidence: w.confidence }),
})

export function mergeDualChannel(input: DualChannelInput): DualChannelOutcome {
  const bleed = estimateBleed(input.mic, input.system, input.selfVad ? { selfVad: input.selfVad } : {})
  const gate = gateMic(input.mic, input.system, bleed, {
    ...(input.marginDb === undefined ? {} : { marginDb: input.marginDb }),
    ...(input.selfVad ? { selfVad: input.selfVad } : {}),
  })
  const { kept, dropped } = input.micWords
    ? removeBledWords(input.micWords, input.systemWords ?? [], gate, { delayS: bleed.delayS })
    : { kept: null, dropped: [] }
  const mic: Piece[] = kept ? kept.map(asPiece) : gateSpans(gate, ['self', 'double_talk'])
  const remote = remotePieces(input.systemWords, input.systemTurns)
  // The user's own entries in the timeline must not name a far-side speaker.
  const timeline = (input.timeline ?? []).filter((e) => e.name !== input.selfName)
  const names = nameSpeakers(remote.turns, { ...input, timeline })
  const pieces: VoicedPiece[] = [
    ...mic.map((p) => ({ ...p, voice: selfVoice(input.selfName) })),
    ...remote.pieces.map((p) => ({ ...p, voice: voiceOf(p.speaker, names.get(p.speaker), 1) })),
  ]
  return {
    result: mergePieces(pieces, input.duration, input.pauseS ?? DEFAULT_PAUSE_S),
    names,
    fingerprints: fingerprintsByName(names, input.fingerprints ?? {}),
    bleed,
    gate,
    dropped,
  }
}

export interface MonoInput extends Common {
  words?: readonly TimedWord[]
  turns: readonly Turn[]
}

export function mergeMono(input: MonoInput): LabelMergeOutcome {
  const { pieces, turns } = remotePieces(input.words, input.turns)
  const names = nameSpeakers(turns, input)
  const voiced = pieces.map((p) => ({ ...p, voice: voiceOf(p.speaker, names.get(p.speaker), null) }))
  return {
    result: mergePieces(voiced, input.duration, input.pauseS ?? DEFAULT_PAUSE_S),
    names,
    fingerprints: fingerprintsByName(names, input.fingerprints ?? {}),
  }
}
