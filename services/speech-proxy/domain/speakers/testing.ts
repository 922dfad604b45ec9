/**
 * A synthetic meeting for the linker's tests: six voices (random 192-d directions), scenes of
 * 40 s each with a host who also opens the next scene, so every chunk hears at most four voices and
 * consecutive chunks share one in their overlap. The stand-in diarizer answers like Sortformer:
 * chunk-local labels dealt in a shuffled order, embeddings that are the voice plus noise growing for
 * short speech. Test-only code.
 */
import { seededRandom } from '../../../../shared/random.ts'
import { type Chunk, planChunks } from '../audio/chunking.ts'
import type { LinkChunk } from './link-types.ts'
import type { DiarizedChunk } from './types.ts'

export interface TruthTurn {
  start: number
  end: number
  voice: number
}

const SCENE_S = 40
const PAUSE_S = 0.5

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(Math.max(rand(), 1e-12))) * Math.cos(2 * Math.PI * rand())
}

export function unit(v: number[]): number[] {
  const n = Math.hypot(...v) || 1
  return v.map((x) => x / n)
}

export function randomVoices(count: number, rand: () => number): number[][] {
  return Array.from({ length: count }, () => unit(Array.from({ length: 192 }, () => gaussian(rand))))
}

/** `voice` plus noise: cosine to the voice ≈ 1/sqrt(1 + 0.08 + 0.3/seconds), as TitaNet's spread. */
export function noisy(voice: number[], seconds: number, rand: () => number): number[] {
  const share = Math.sqrt(0.08 + 0.3 / Math.max(0.5, seconds))
  const noise = unit(voice.map(() => gaussian(rand)))
  return unit(voice.map((x, k) => x + share * (noise[k] as number)))
}

/** Scenes of 40 s: the host opens, two guests and the host take turns, the next host closes. */
export function sceneTimeline(scenes: number, voices: number, rand: () => number): TruthTurn[] {
  const turns: TruthTurn[] = []
  for (let k = 0; k < scenes; k++) {
    const at = k * SCENE_S
    const host = k % voices
    const next = (k + 1) % voices
    const others = [...Array(voices).keys()].filter((v) => v !== host && v !== next)
    const guests = [
      others.splice(Math.floor(rand() * others.length), 1)[0],
      others[Math.floor(rand() * others.length)],
    ]
    turns.push({ start: at, end: at + 5, voice: host })
    let t = at + 5
    let who = 0
    // The closing turn is longer than a margin, so the next chunk's margin hears only the next host.
    while (t < at + 34) {
      const len = Math.min(2 + 3 * rand(), at + 34 - t)
      turns.push({ start: t, end: t + len, voice: who === 2 ? host : (guests[who] as number) })
      t += len
      who = (who + 1) % 3
    }
    turns.push({ start: t, end: at + SCENE_S - PAUSE_S, voice: next })
  }
  return turns
}

/** The chunk plan such a timeline gets: a cut in the pause at the end of each scene. */
export function scenePlan(scenes: number): Chunk[] {
  const pauses = Array.from({ length: scenes }, (_, k) => ({
    start: (k + 1) * SCENE_S - PAUSE_S,
    end: (k + 1) * SCENE_S,
  }))
  return planChunks(scenes * SCENE_S, pauses, { targetS: SCENE_S, maxS: SCENE_S + 12, marginS: 4 })
}

/** What a Sortformer-like diarizer would answer for one chunk of `truth`. */
export function diarizeChunk(
  chunk: Chunk,
  truth: readonly TruthTurn[],
  voices: readonly number[][],
  rand: () => number,
  opts: { fingerprints: boolean } = { fingerprints: true },
): DiarizedChunk {
  const heard = truth
    .map((t) => ({ ...t, start: Math.max(t.start, chunk.start), end: Math.min(t.end, chunk.end) }))
    .filter((t) => t.end > t.start)
  const present = [...new Set(heard.map((t) => t.voice))]
  // Sortformer has four slots: a fifth voice and more are force-fitted into the last one.
  const slots = present
    .slice(0, 4)
    .map((_, i) => i)
    .sort(() => rand() - 0.5)
  const label = (voice: number) => `Speaker_${slots[Math.min(present.indexOf(voice), 3)]}`
  const labels = [...new Set(present.map(label))]
  const seconds = (voice: number) =>
    heard.filter((t) => t.voice === voice).reduce((s, t) => s + t.end - t.start, 0)
  const r3 = (x: number) => Math.round(x * 1000) / 1000
  return {
    duration: r3(chunk.end - chunk.start),
    segments: heard.map((t) => ({
      start_s: r3(t.start - chunk.start),
      end_s: r3(t.end - chunk.start),
      speaker: label(t.voice),
      confidence: 0.9,
    })),
    speakers_detected: labels.sort(),
    fingerprints: opts.fingerprints
      ? Object.fromEntries(
          present.slice(0, 4).map((v) => [label(v), noisy(voices[v] as number[], seconds(v), rand)]),
        )
      : {},
  }
}

/** A whole synthetic meeting, chunked and diarized. */
export function syntheticMeeting(seed: number, opts = { fingerprints: true, scenes: 12 }) {
  const rand = seededRandom(seed)
  const voices = randomVoices(6, rand)
  const truth = sceneTimeline(opts.scenes, 6, rand)
  const chunks: LinkChunk[] = scenePlan(opts.scenes).map((c) => ({
    ...c,
    diarized: diarizeChunk(c, truth, voices, rand, opts),
  }))
  return { voices, truth, chunks }
}

/** For each true voice, the share of its speech time under the global label it mostly gets. */
export function purity(
  truth: readonly TruthTurn[],
  segments: readonly { start: number; end: number; speaker: string }[],
): { voice: number; label: string; share: number }[] {
  const voices = [...new Set(truth.map((t) => t.voice))].sort((a, b) => a - b)
  return voices.map((voice) => {
    const mine = truth.filter((t) => t.voice === voice)
    const total = mine.reduce((s, t) => s + t.end - t.start, 0)
    const by = new Map<string, number>()
    for (const t of mine)
      for (const s of segments) {
        const o = Math.min(t.end, s.end) - Math.max(t.start, s.start)
        if (o > 0) by.set(s.speaker, (by.get(s.speaker) ?? 0) + o)
      }
    const [label, time] = [...by].sort((a, b) => b[1] - a[1])[0] ?? ['', 0]
    return { voice, label, share: time / total }
  })
}
