/**
 * The energy gate: each mic frame is told apart as the user (`self`), the user over the far side
 * (`double_talk`), the far side leaking in (`bleed`) or nothing (`silence`). The mic is compared
 * with what the bleed alone would make it (system level + coupling, delayed); sound clearly above
 * that prediction is the user's own.
 */
import type { BleedEstimate, Span } from './bleed.ts'
import { activity, type Envelope, SILENCE_DB } from './envelope.ts'

export const FRAME_LABELS = ['silence', 'self', 'double_talk', 'bleed'] as const
export type FrameLabel = (typeof FRAME_LABELS)[number]

const SILENCE = 0
const SELF = 1
const DOUBLE_TALK = 2
const BLEED = 3

export interface Gate {
  hopS: number
  /** One code per mic frame, an index into FRAME_LABELS. */
  codes: Uint8Array
}

export interface GateOptions {
  /** How far above the predicted bleed the mic must be to count as the user. */
  marginDb?: number
  /** The client's VAD on its own mic: trusted as the user. */
  selfVad?: readonly Span[]
  /** Bursts of own voice shorter than this, inside bleed, are the bleed's own wobble. */
  minOwnRunS?: number
  /** The far side still counts as talking this long around its sounding frames (gaps between syllables). */
  farHangoverS?: number
}

export function gateMic(mic: Envelope, system: Envelope, bleed: BleedEstimate, opts: GateOptions = {}): Gate {
  const hopS = mic.hopS
  const lag = Math.round(bleed.delayS / hopS)
  const margin = opts.marginDb ?? 6
  const micActive = activity(mic).thresholdDb
  const sysActive = activity(system).thresholdDb
  const vad = vadMask(mic.db.length, hopS, opts.selfVad ?? [])
  const farTalking = widened(
    system,
    sysActive,
    lag,
    mic.db.length,
    Math.round((opts.farHangoverS ?? 0.15) / hopS),
  )
  const codes = new Uint8Array(mic.db.length)
  for (let t = 0; t < codes.length; t++) {
    const sys = system.db[t - lag] ?? SILENCE_DB
    const farTalks = farTalking[t] === 1
    const predicted = bleed.couplingDb === null ? SILENCE_DB : sys + bleed.couplingDb
    const level = mic.db[t] as number
    const own = vad[t] === 1 || (level > micActive && level > predicted + margin)
    if (own) codes[t] = farTalks ? DOUBLE_TALK : SELF
    else codes[t] = level > micActive ? BLEED : SILENCE
  }
  absorbShortOwnRuns(codes, Math.round((opts.minOwnRunS ?? 0.04) / hopS), vad)
  return { hopS, codes }
}

/** Per mic frame: is the far side talking (its delayed level above threshold within ±`hangover` frames)? */
function widened(
  system: Envelope,
  thresholdDb: number,
  lag: number,
  frames: number,
  hangover: number,
): Uint8Array {
  const mask = new Uint8Array(frames)
  for (let t = 0; t < frames; t++) {
    if ((system.db[t - lag] ?? SILENCE_DB) <= thresholdDb) continue
    mask.fill(1, Math.max(0, t - hangover), Math.min(frames, t + hangover + 1))
  }
  return mask
}

function vadMask(frames: number, hopS: number, spans: readonly Span[]): Uint8Array {
  const mask = new Uint8Array(frames)
  for (const s of spans)
    for (let t = Math.max(0, Math.floor(s.start / hopS)); t < Math.min(frames, Math.ceil(s.end / hopS)); t++)
      mask[t] = 1
  return mask
}

const isOwn = (code: number | undefined) => code === SELF || code === DOUBLE_TALK

/** A run of own-voice frames shorter than `minRun`, bordered by bleed on both sides, becomes bleed. */
function absorbShortOwnRuns(codes: Uint8Array, minRun: number, vad: Uint8Array): void {
  let t = 0
  while (t < codes.length) {
    if (!isOwn(codes[t])) {
      t++
      continue
    }
    let end = t
    while (end < codes.length && isOwn(codes[end])) end++
    const trusted = vad.subarray(t, end).includes(1)
    if (!trusted && end - t < minRun && codes[t - 1] === BLEED && codes[end] === BLEED)
      codes.fill(BLEED, t, end)
    t = end
  }
}

export const labelAt = (gate: Gate, t: number): FrameLabel =>
  FRAME_LABELS[gate.codes[t] ?? SILENCE] ?? 'silence'

/** How many frames of each label lie in `[start, end)` seconds. */
export function labelCounts(gate: Gate, start: number, end: number): Record<FrameLabel, number> {
  const counts: Record<FrameLabel, number> = { silence: 0, self: 0, double_talk: 0, bleed: 0 }
  const from = Math.max(0, Math.floor(start / gate.hopS))
  const to = Math.min(gate.codes.length, Math.ceil(end / gate.hopS))
  for (let t = from; t < to; t++) counts[labelAt(gate, t)]++
  return counts
}

/**
 * Stretches of the given labels, joined across gaps up to `joinGapS` and dropped when shorter than
 * `minS`: the user's own speech turns when there are no words to go by.
 */
export function gateSpans(
  gate: Gate,
  labels: readonly FrameLabel[],
  opts: { joinGapS?: number; minS?: number } = {},
): Span[] {
  const wanted = new Set(labels.map((l) => FRAME_LABELS.indexOf(l)))
  const spans: Span[] = []
  for (let t = 0; t < gate.codes.length; t++) {
    if (!wanted.has(gate.codes[t] as number)) continue
    const start = t * gate.hopS
    while (t + 1 < gate.codes.length && wanted.has(gate.codes[t + 1] as number)) t++
    const end = (t + 1) * gate.hopS
    const last = spans.at(-1)
    if (last && start - last.end <= (opts.joinGapS ?? 0.3)) last.end = end
    else spans.push({ start, end })
  }
  return spans.filter((s) => s.end - s.start >= (opts.minS ?? 0.1))
}
