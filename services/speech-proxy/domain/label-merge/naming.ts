/**
 * Names for the diarizer's speakers. The client's timeline (who the meeting app showed as talking
 * when) names a speaker by the entry it overlaps most; a known voiceprint names one whose
 * fingerprint is close enough; everyone else is `Unknown_N`, numbered in order of first
 * appearance.
 */
import type { Span } from './bleed.ts'

export interface TimelineEntry extends Span {
  name: string
  /** How sure the meeting app was (0…1); an entry counts in proportion. */
  confidence?: number
}

/** A diarizer turn. */
export interface Turn extends Span {
  speaker: string
  /** The diarizer's own confidence, when it gives one: becomes the segment's without a transcript. */
  confidence?: number
}

export type NameSource = 'timeline' | 'voiceprint' | 'diarizer'

export interface SpeakerName {
  name: string
  source: NameSource
  /** Share of the speaker's time the timeline name covers, or the voiceprint's cosine; null for Unknown_N. */
  confidence: number | null
}

export interface NamingInput {
  timeline?: readonly TimelineEntry[]
  /** Diarizer speaker → embedding (TitaNet: 192 floats). */
  fingerprints?: Readonly<Record<string, readonly number[]>>
  /** Name → embedding, from earlier calls. */
  knownVoiceprints?: Readonly<Record<string, readonly number[]>>
  /** Lowest cosine that names a speaker by voiceprint. */
  voiceprintThreshold?: number
}

export const DEFAULT_VOICEPRINT_THRESHOLD = 0.7
/** The first unnamed speaker is Unknown_1. */
export const FIRST_UNKNOWN = 1

const overlap = (a: Span, b: Span) => Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start))

/** Speakers in the order they first speak. */
export function speakersInOrder(turns: readonly Turn[]): string[] {
  const order = [...turns].sort((a, b) => a.start - b.start || a.end - b.end)
  return [...new Set(order.map((t) => t.speaker))]
}

export function nameSpeakers(turns: readonly Turn[], input: NamingInput = {}): Map<string, SpeakerName> {
  const names = new Map<string, SpeakerName>()
  let unknown = FIRST_UNKNOWN
  for (const speaker of speakersInOrder(turns)) {
    const own = turns.filter((t) => t.speaker === speaker)
    const named = byTimeline(own, input.timeline ?? []) ?? byVoiceprint(speaker, input)
    names.set(speaker, named ?? { name: `Unknown_${unknown++}`, source: 'diarizer', confidence: null })
  }
  return names
}

/** The timeline name covering most of the speaker's time (weighted by its confidence); none on a tie or no overlap. */
export function byTimeline(turns: readonly Turn[], timeline: readonly TimelineEntry[]): SpeakerName | null {
  const covered = new Map<string, number>()
  for (const turn of turns)
    for (const entry of timeline) {
      const o = overlap(turn, entry) * (entry.confidence ?? 1)
      if (o > 0) covered.set(entry.name, (covered.get(entry.name) ?? 0) + o)
    }
  const ranked = [...covered].sort((a, b) => b[1] - a[1])
  const [first, second] = ranked
  if (!first || (second && second[1] === first[1])) return null
  const talk = turns.reduce((sum, t) => sum + (t.end - t.start), 0)
  return { name: first[0], source: 'timeline', confidence: talk > 0 ? Math.min(1, first[1] / talk) : null }
}

export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0
  let na = 0
  let nb = 0
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    dot += (a[i] as number) * (b[i] as number)
    na += (a[i] as number) ** 2
    nb += (b[i] as number) ** 2
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0
}

function byVoiceprint(speaker: string, input: NamingInput): SpeakerName | null {
  const print = input.fingerprints?.[speaker]
  if (!print) return null
  let best: SpeakerName | null = null
  for (const [name, known] of Object.entries(input.knownVoiceprints ?? {})) {
    const c = cosine(print, known)
    if (
      c >= (input.voiceprintThreshold ?? DEFAULT_VOICEPRINT_THRESHOLD) &&
      (!best || c > (best.confidence ?? 0))
    )
      best = { name, source: 'voiceprint', confidence: c }
  }
  return best
}

/**
 * The fingerprint to return under each name: the diarizer speaker's own, or the mean of those of
 * several speakers that came out under one name.
 */
export function fingerprintsByName(
  names: ReadonlyMap<string, SpeakerName>,
  fingerprints: Readonly<Record<string, readonly number[]>>,
): Record<string, number[]> {
  const grouped = new Map<string, (readonly number[])[]>()
  for (const [speaker, { name }] of names) {
    const print = fingerprints[speaker]
    if (print) grouped.set(name, [...(grouped.get(name) ?? []), print])
  }
  const out: Record<string, number[]> = {}
  for (const [name, prints] of grouped) {
    const first = prints[0] as readonly number[]
    out[name] = first.map((_, i) => prints.reduce((sum, p) => sum + (p[i] ?? 0), 0) / prints.length)
  }
  return out
}
