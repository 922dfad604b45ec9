/**
 * Links chunk-local speakers into the recording's speakers. The diarizer labels each chunk on its
 * own (at most four labels, in no particular order), so `Speaker_0` of one chunk says nothing about
 * `Speaker_0` of the next. Two kinds of evidence tie them together:
 *
 * 1. overlap agreement: consecutive chunks share their margins, and labels that speak at the same
 *    moments there are one voice (overlap.ts) — always available;
 * 2. voice embeddings, when the upstream sends them: local speakers are clustered by cosine with
 *    average linkage (cluster.ts), the overlap evidence as must-links.
 *
 * Known voiceprints then name the clusters they match; the rest are `Speaker_0..` in order of first
 * appearance. Pure: the pipeline hands in what the diarizer answered for each chunk.
 */
import { clusterVoices, type Voice } from './cluster.ts'
import type { GlobalTurn, LinkChunk, Linked, LinkOptions } from './link-types.ts'
import { overlapAgreement } from './overlap.ts'
import { cosine, meanDirection } from './vectors.ts'

export type { GlobalTurn, LinkChunk, Linked, LinkOptions } from './link-types.ts'
export { DEFAULT_LINK_THRESHOLD } from './link-types.ts'

/** Turns of one speaker this close (a cut between chunk bodies) are one turn. */
const JOIN_GAP_S = 0.05

interface LocalVoice extends Voice {
  label: string
  /** Seconds this label speaks in its chunk: the weight of its embedding in the speaker's mean. */
  speechS: number
}

const keyOf = (chunk: number, label: string) => `${chunk}\u0000${label}`

export function linkSpeakers(chunks: readonly LinkChunk[], opts: LinkOptions): Linked {
  const ordered = [...chunks].sort((a, b) => a.index - b.index)
  const voices = localVoices(ordered)
  const indexOf = new Map(voices.map((v, i) => [keyOf(v.chunk, v.label), i]))
  const sameVoice: [number, number][] = []
  for (let k = 1; k < ordered.length; k++)
    for (const p of overlapAgreement(ordered[k - 1] as LinkChunk, ordered[k] as LinkChunk))
      sameVoice.push([
        indexOf.get(keyOf(p.a.chunk, p.a.label)) as number,
        indexOf.get(keyOf(p.b.chunk, p.b.label)) as number,
      ])
  const exact = opts.numSpeakers
  const groupOf = clusterVoices(voices, sameVoice, {
    threshold: opts.threshold,
    min: exact ?? opts.minSpeakers ?? 1,
    max: exact ?? opts.maxSpeakers ?? Number.POSITIVE_INFINITY,
  })
  const prints = groupPrints(voices, groupOf)
  const turns = ownedTurns(
    ordered,
    (chunk, label) => groupOf[indexOf.get(keyOf(chunk, label)) as number] ?? -1,
  )
  const names = nameGroups(groupOf, turns, prints, opts)
  const labelOf = (chunk: number, local: string) => {
    const i = indexOf.get(keyOf(chunk, local))
    return i === undefined ? local : (names.get(groupOf[i] as number) as string)
  }
  const segments = joinTouching(
    turns.map(({ group, ...t }) => ({ ...t, speaker: names.get(group) as string })),
  )
  const fingerprints: Record<string, number[]> = {}
  for (const [group, print] of prints) fingerprints[names.get(group) as string] = print
  return { labelOf, segments, speakers: [...new Set(names.values())], fingerprints }
}

/** Every (chunk, local label) heard in turns or embeddings, with its embedding and speech time. */
function localVoices(chunks: readonly LinkChunk[]): LocalVoice[] {
  const out: LocalVoice[] = []
  for (const c of chunks) {
    const speech = new Map<string, number>()
    for (const t of c.diarized.segments)
      speech.set(t.speaker, (speech.get(t.speaker) ?? 0) + t.end_s - t.start_s)
    const labels = new Set([...speech.keys(), ...Object.keys(c.diarized.fingerprints)])
    for (const label of [...labels].sort())
      out.push({
        chunk: c.index,
        label,
        fingerprint: usable(c.diarized.fingerprints[label]),
        speechS: speech.get(label) ?? 0,
      })
  }
  return out
}

const usable = (v: readonly number[] | undefined) => (v && v.length > 0 && v.some((x) => x !== 0) ? v : null)

/** Each group's mean embedding, weighted by speech time. */
function groupPrints(voices: readonly LocalVoice[], groupOf: readonly number[]): Map<number, number[]> {
  const byGroup = new Map<number, { vector: readonly number[]; weight: number }[]>()
  voices.forEach((v, i) => {
    if (!v.fingerprint) return
    const g = groupOf[i] as number
    byGroup.set(g, [...(byGroup.get(g) ?? []), { vector: v.fingerprint, weight: Math.max(0.5, v.speechS) }])
  })
  return new Map([...byGroup].map(([g, list]) => [g, meanDirection(list)]))
}

/** Turns in file time, each cut to the body of the chunk that heard it (bodies tile the file). */
function ownedTurns(
  chunks: readonly LinkChunk[],
  groupOf: (chunk: number, label: string) => number,
): (Omit<GlobalTurn, 'speaker'> & { group: number })[] {
  const last = chunks.at(-1)?.index
  const out: (Omit<GlobalTurn, 'speaker'> & { group: number })[] = []
  for (const c of chunks) {
    const from = c.index === chunks[0]?.index ? c.start : c.bodyStart
    const to = c.index === last ? c.end : c.bodyEnd
    for (const t of c.diarized.segments) {
      const start = Math.max(from, c.start + t.start_s)
      const end = Math.min(to, c.start + t.end_s)
      if (end <= start) continue
      const conf = t.confidence === undefined ? {} : { confidence: t.confidence }
      out.push({ start: round3(start), end: round3(end), group: groupOf(c.index, t.speaker), ...conf })
    }
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end)
}

const round3 = (t: number) => Math.round(t * 1000) / 1000

/**
 * Group → label: known voiceprints first (best matches first, one name per group, cosine at least
 * the threshold), then `Speaker_N` by first appearance for the rest.
 */
function nameGroups(
  groups: readonly number[],
  turns: readonly { start: number; group: number }[],
  prints: ReadonlyMap<number, number[]>,
  opts: LinkOptions,
): Map<number, string> {
  const names = new Map<number, string>()
  const pairs = [...prints].flatMap(([group, print]) =>
    Object.entries(opts.known ?? {}).map(([name, ref]) => ({ group, name, sim: cosine(print, ref) })),
  )
  const taken = new Set<string>()
  for (const p of pairs.sort((a, b) => b.sim - a.sim))
    if (p.sim >= opts.threshold && !names.has(p.group) && !taken.has(p.name)) {
      names.set(p.group, p.name)
      taken.add(p.name)
    }
  // Groups heard only in embeddings (no turn) come after every speaker that spoke.
  const order = [...new Set([...turns.map((t) => t.group), ...prints.keys(), ...groups])]
  let n = 0
  for (const g of order) if (!names.has(g)) names.set(g, `Speaker_${n++}`)
  return names
}

function joinTouching(turns: readonly GlobalTurn[]): GlobalTurn[] {
  const out: GlobalTurn[] = []
  for (const t of turns) {
    const prev = out.at(-1)
    if (prev && prev.speaker === t.speaker && t.start - prev.end <= JOIN_GAP_S && t.start >= prev.start) {
      prev.end = Math.max(prev.end, t.end)
      continue
    }
    out.push({ ...t })
  }
  return out
}
