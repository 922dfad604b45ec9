import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../../shared/random.ts'
import { DEFAULT_LINK_THRESHOLD, linkSpeakers } from './link.ts'
import { noisy, purity, randomVoices, syntheticMeeting } from './testing.ts'
import { cosine } from './vectors.ts'

const opts = { threshold: DEFAULT_LINK_THRESHOLD }

describe('linkSpeakers on a synthetic six-voice meeting (≤ 4 shuffled labels per chunk)', () => {
  it.each([1, 2, 3, 4, 5])(
    'finds the six voices, each under one label for ≥ 90 %% of its speech (seed %i)',
    (seed) => {
      const { truth, chunks } = syntheticMeeting(seed)
      const linked = linkSpeakers(chunks, opts)
      expect(linked.speakers).toHaveLength(6)
      const shares = purity(truth, linked.segments)
      for (const s of shares) expect(s.share).toBeGreaterThanOrEqual(0.9)
      expect(new Set(shares.map((s) => s.label)).size).toBe(6)
    },
  )

  it('numbers speakers in order of first appearance, and segments tile the speech once', () => {
    const { truth, chunks } = syntheticMeeting(7)
    const linked = linkSpeakers(chunks, opts)
    const firsts = linked.speakers.map((s) => linked.segments.find((t) => t.speaker === s)?.start ?? Infinity)
    expect(firsts).toEqual([...firsts].sort((a, b) => a - b))
    expect(linked.speakers).toEqual(linked.speakers.map((_, i) => `Speaker_${i}`))
    const said = truth.reduce((s, t) => s + t.end - t.start, 0)
    const heard = linked.segments.reduce((s, t) => s + t.end - t.start, 0)
    expect(heard).toBeCloseTo(said, 1)
    for (let i = 1; i < linked.segments.length; i++)
      expect(linked.segments[i]!.start).toBeGreaterThanOrEqual(linked.segments[i - 1]!.end - 1e-9)
  })

  it('gives each speaker the mean of its embeddings, close to its true voice', () => {
    const { voices, truth, chunks } = syntheticMeeting(8)
    const linked = linkSpeakers(chunks, opts)
    for (const { voice, label } of purity(truth, linked.segments))
      expect(cosine(linked.fingerprints[label]!, voices[voice]!)).toBeGreaterThan(0.97)
  })

  it('maps every chunk-local label through labelOf, and unknown labels to themselves', () => {
    const { chunks } = syntheticMeeting(9)
    const linked = linkSpeakers(chunks, opts)
    for (const c of chunks)
      for (const t of c.diarized.segments)
        expect(linked.speakers).toContain(linked.labelOf(c.index, t.speaker))
    expect(linked.labelOf(0, 'Speaker_9')).toBe('Speaker_9')
  })

  it('links by overlap agreement alone when the upstream sends no embeddings', () => {
    // Without embeddings only the host heard in each overlap links two chunks; the rest stay apart.
    const { chunks } = syntheticMeeting(10, { fingerprints: false, scenes: 12 })
    const linked = linkSpeakers(chunks, opts)
    const locals = chunks.reduce((n, c) => n + c.diarized.speakers_detected.length, 0)
    expect(linked.speakers).toHaveLength(locals - (chunks.length - 1))
    const closing = chunks
      .slice(0, -1)
      .map((c) => linked.labelOf(c.index, c.diarized.segments.at(-1)!.speaker))
    const opening = chunks.slice(1).map((c) => linked.labelOf(c.index, c.diarized.segments[0]!.speaker))
    expect(opening).toEqual(closing)
  })
})

describe('speaker-count hints and known voiceprints', () => {
  it('merges down to num_speakers, and stops at min_speakers / max_speakers', () => {
    const { chunks } = syntheticMeeting(11)
    expect(linkSpeakers(chunks, { ...opts, numSpeakers: 4 }).speakers).toHaveLength(4)
    expect(linkSpeakers(chunks, { ...opts, maxSpeakers: 5 }).speakers).toHaveLength(5)
    expect(linkSpeakers(chunks, { ...opts, minSpeakers: 9 }).speakers).toHaveLength(9)
    expect(linkSpeakers(chunks, { ...opts, minSpeakers: 2, maxSpeakers: 8 }).speakers).toHaveLength(6)
  })

  it('names the speakers whose voice matches a known voiceprint, numbering the rest', () => {
    const rand = seededRandom(1012)
    const { voices, truth, chunks } = syntheticMeeting(12)
    const known = {
      Ada: noisy(voices[0]!, 30, rand),
      Ben: noisy(voices[3]!, 30, rand),
      Zed: randomVoices(1, rand)[0]!,
    }
    const linked = linkSpeakers(chunks, { ...opts, known })
    const label = new Map(purity(truth, linked.segments).map((p) => [p.voice, p.label]))
    expect(label.get(0)).toBe('Ada')
    expect(label.get(3)).toBe('Ben')
    expect(linked.speakers).not.toContain('Zed')
    expect(linked.speakers.filter((s) => s.startsWith('Speaker_')).sort()).toEqual([
      'Speaker_0',
      'Speaker_1',
      'Speaker_2',
      'Speaker_3',
    ])
    expect(Object.keys(linked.fingerprints)).toContain('Ada')
  })

  it('does not name a speaker after a voiceprint below the threshold', () => {
    const { voices, chunks } = syntheticMeeting(13)
    // Halfway between two voices: cosine ≈ 0.7 to each, under a 0.8 threshold.
    const between = voices[0]!.map((x, k) => x + voices[1]![k]!)
    const linked = linkSpeakers(chunks, { threshold: 0.8, known: { Mix: between } })
    expect(linked.speakers).not.toContain('Mix')
  })
})
