/**
 * Groups chunk-local speakers into the recording's voices: agglomerative clustering by average
 * cosine between embeddings (average linkage), starting from the groups overlap agreement already
 * proved (must-link). Two labels of one chunk are different voices as a rule — Sortformer gives one
 * voice one slot, though it can split a voice — so a merge that would join them only pays a penalty
 * rather than being forbidden. Speaker-count hints bound where merging stops.
 */

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
  // Each group's best partner, kept up to date through merges, so a merge costs O(groups), not O(groups²).
  const rowBest = (a: number) => {
    let found: { b: number; s: number } | null = null
    for (const b of alive) if (b !== a && (!found || score(a, b) > found.s)) found = { b, s: score(a, b) }
    return found
  }
  const best = new Map([...alive].map((a) => [a, rowBest(a)]))
  while (alive.size > Math.max(1, opts.min)) {
    let pick: { a: number; b: number; s: number } | null = null
    for (const [a, r] of best) if (r && (!pick || r.s > pick.s)) pick = { a, ...r }
    if (!pick || (pick.s < opts.threshold && alive.size <= opts.max)) break
    const { a, b } = pick
    merge(groups, between, a, b)
    alive.delete(b)
    best.delete(b)
    best.set(a, rowBest(a))
    for (const c of alive) {
      if (c === a) continue
      const r = best.get(c)
      if (!r || r.b === a || r.b === b) best.set(c, rowBest(c))
      else if (score(c, a) > r.s) best.set(c, { b: a, s: score(c, a) })
    }
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
  // Unit vectors once, so each pair is one dot product.
  const units = voices.map((v) => (v.fingerprint ? normalised(v.fingerprint) : null))
  const groupOf = new Int32Array(voices.length)
  groups.forEach((g, gi) => {
    for (const m of g.members) groupOf[m] = gi
  })
  const sums = groups.map(() => new Array<number>(groups.length).fill(0))
  for (let i = 0; i < voices.length; i++) {
    const x = units[i]
    if (!x) continue
    for (let j = i + 1; j < voices.length; j++) {
      const y = units[j]
      if (!y) continue
      let dot = 0
      for (let k = 0; k < x.length; k++) dot += (x[k] as number) * (y[k] as number)
      const [gi, gj] = [groupOf[i] as number, groupOf[j] as number]
      sums[gi]![gj] = (sums[gi]![gj] as number) + dot
      if (gi !== gj) sums[gj]![gi] = (sums[gj]![gi] as number) + dot
    }
  }
  return sums
}

function normalised(v: readonly number[]): Float64Array {
  const out = Float64Array.from(v)
  const norm = Math.hypot(...out) || 1
  for (let k = 0; k < out.length; k++) out[k] = (out[k] as number) / norm
  return out
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
