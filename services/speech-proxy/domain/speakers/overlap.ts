/**
 * Overlap agreement: consecutive chunks both hear their shared margin, so a local label of one and a
 * local label of the next that speak at the same moments there are the same voice, whatever either
 * chunk called it. This is the evidence that holds without embeddings.
 */
import type { LinkChunk } from './link-types.ts'

/** Co-speech shorter than this, or under this share of either label's speech there, is no evidence. */
const MIN_SHARED_S = 0.5
const MIN_SHARED_SHARE = 0.5

export interface SameVoice {
  a: { chunk: number; label: string }
  b: { chunk: number; label: string }
  /** Seconds both labels speak at once inside the shared region. */
  sharedS: number
}

/** Each local label's turns in file time, clipped to [from, to). */
function turnsIn(c: LinkChunk, from: number, to: number): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>()
  for (const t of c.diarized.segments) {
    const start = Math.max(from, c.start + t.start_s)
    const end = Math.min(to, c.start + t.end_s)
    if (end > start) out.set(t.speaker, [...(out.get(t.speaker) ?? []), [start, end]])
  }
  return out
}

const total = (spans: readonly [number, number][]) => spans.reduce((s, [a, b]) => s + b - a, 0)

function shared(x: readonly [number, number][], y: readonly [number, number][]): number {
  let sum = 0
  for (const [a0, a1] of x)
    for (const [b0, b1] of y) {
      const o = Math.min(a1, b1) - Math.max(a0, b0)
      if (o > 0) sum += o
    }
  return sum
}

/** Pairs of labels in two overlapping chunks that are each other's best match in the shared region. */
export function overlapAgreement(left: LinkChunk, right: LinkChunk): SameVoice[] {
  const from = Math.max(left.start, right.start)
  const to = Math.min(left.end, right.end)
  if (to <= from) return []
  const l = turnsIn(left, from, to)
  const r = turnsIn(right, from, to)
  const scores: { la: string; lb: string; s: number }[] = []
  for (const [la, xs] of l) for (const [lb, ys] of r) scores.push({ la, lb, s: shared(xs, ys) })
  const bestFor = (pick: (x: (typeof scores)[number]) => string, key: string) =>
    Math.max(0, ...scores.filter((x) => pick(x) === key).map((x) => x.s))
  return scores
    .filter(({ la, lb, s }) => {
      const enough =
        s >= MIN_SHARED_S && s >= MIN_SHARED_SHARE * Math.min(total(l.get(la)!), total(r.get(lb)!))
      return enough && s === bestFor((x) => x.la, la) && s === bestFor((x) => x.lb, lb)
    })
    .map(({ la, lb, s }) => ({
      a: { chunk: left.index, label: la },
      b: { chunk: right.index, label: lb },
      sharedS: s,
    }))
}
