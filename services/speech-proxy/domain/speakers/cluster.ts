/**
 * Groups chunk-local speakers into the recording's voices: agglomerative clustering by average
 * cosine between embeddings (average linkage), starting from the groups overlap agreement already
 * proved (must-link). Two labels of one chunk are different voices as a rule — Sortformer gives one
 * voice one slot, though it can split a voice — so a merge that would join them only pays a penalty
 * rather than being forbidden. Speaker-count hints bound where merging stops.
 */
import { cosine } from './vectors.ts'

export interface Voice {
  chunk: number
  fingerprint: readonly number[] | null
}

export interface ClusterOptions {
  threshold: number
  /** Never fewer clusters than this. */
  min: number
  /** Merge below the threshold while there are more clusters than this. */
  max: number
}

/** Taken off the similarity of two groups that both hold a label of the same chunk. */
const SAME_CHUNK_PENALTY = 0.2
/** The score of two groups with no embedding between them: merged only when a count hint forces it. */
const NO_EVIDENCE = -2

interface Group {
  members: number[]
  withPrint: number
  chunks: Set<number>
}

/** Between-group state kept exact through merges: sums of member cosines, and chunk sharing. */
interface Between {
  sums: number[][]
  shareChunk: boolean[][]
}

/** The group index of each voice, groups numbered 0.. in order of their lowest member. */
export function clusterVoices(
  voices: readonly Voice[],
  sameVoice: readonly [number, number][],
  opts: ClusterOptions,
): number[] {
  const groups = initialGroups(voices, sameVoice)
  const between: Between = {
    sums: printSums(voices, groups),
    shareChunk: groups.map((ga) => groups.map((gb) => [...ga.chunks].some((c) => gb.chunks.has(c)))),
  }
  const score = (a: number, b: number) => {
    const na = (groups[a] as Group).withPrint
    const nb = (groups[b] as Group).withPrint
    const base = na > 0 && nb > 0 ? (between.sums[a]![b] as number) / (na * nb) : NO_EVIDENCE
    return base - (between.shareChunk[a]![b] ? SAME_CHUNK_PENALTY : 0)
  }
  const alive = new Set(groups.map((_, i) => i))
  while (alive.size > Math.max(1, opts.min)) {
    let best: { a: number; b: number; s: number } | null = null
    for (const a of alive)
      for (const b of alive) if (a < b && (!best || score(a, b) > best.s)) best = { a, b, s: score(a, b) }
    if (!best || (best.s < opts.threshold && alive.size <= opts.max)) break
    merge(groups, between, best.a, best.b)
    alive.delete(best.b)
  }
  const out = new Array<number>(voices.length).fill(-1)
  ;[...alive].forEach((g, id) => {
    for (const m of (groups[g] as Group).members) out[m] = id
  })
  return out
}

/** Voices joined by overlap agreement start as one group (union-find). */
function initialGroups(voices: readonly Voice[], sameVoice: readonly [number, number][]): Group[] {
  const parent = voices.map((_, i) => i)
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] as number
    return i
  }
  for (const [a, b] of sameVoice) parent[root(a)] = root(b)
  const byRoot = new Map<number, Group>()
  voices.forEach((v, i) => {
    const r = root(i)
    const g = byRoot.get(r) ?? { members: [], withPrint: 0, chunks: new Set<number>() }
    g.members.push(i)
    if (v.fingerprint) g.withPrint++
    g.chunks.add(v.chunk)
    byRoot.set(r, g)
  })
  return [...byRoot.values()]
}

/** sums[a][b]: the sum of cosines over every embedded member pair of groups a and b. */
function printSums(voices: readonly Voice[], groups: readonly Group[]): number[][] {
  return groups.map((ga) =>
    groups.map((gb) => {
      let s = 0
      for (const i of ga.members)
        for (const j of gb.members) {
          const x = voices[i]?.fingerprint
          const y = voices[j]?.fingerprint
          if (x && y) s += cosine(x, y)
        }
      return s
    }),
  )
}

/** Folds group b into group a; the sums stay exact because average linkage is a ratio of sums. */
function merge(groups: Group[], { sums, shareChunk }: Between, a: number, b: number) {
  const ga = groups[a] as Group
  const gb = groups[b] as Group
  ga.members.push(...gb.members)
  ga.withPrint += gb.withPrint
  for (let k = 0; k < groups.length; k++) {
    if (k === a || k === b) continue
    const joined = (sums[a]![k] as number) + (sums[b]![k] as number)
    sums[a]![k] = joined
    sums[k]![a] = joined
    const shares = Boolean(shareChunk[a]![k] || shareChunk[b]![k])
    shareChunk[a]![k] = shares
    shareChunk[k]![a] = shares
  }
}
