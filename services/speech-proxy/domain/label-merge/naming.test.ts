import { describe, expect, it } from 'vitest'
import { cosine, fingerprintsByName, nameSpeakers, speakersInOrder } from './naming.ts'

const turns = [
  { start: 10, end: 14, speaker: 'spk_2' },
  { start: 0, end: 4, speaker: 'spk_1' },
  { start: 5, end: 9, speaker: 'spk_0' },
  { start: 15, end: 17, speaker: 'spk_3' },
  { start: 18, end: 20, speaker: 'spk_1' },
]

/** A unit vector along axis `i` of 192, turned a little towards axis `j`. */
const print = (i: number, j = (i + 1) % 192, lean = 0) =>
  Array.from({ length: 192 }, (_, k) => (k === i ? Math.cos(lean) : k === j ? Math.sin(lean) : 0))

describe('nameSpeakers', () => {
  it('names a speaker by the timeline entry it overlaps most, and numbers the rest as they first speak', () => {
    const timeline = [
      { start: 0, end: 3.5, name: 'Ben' },
      { start: 3.5, end: 4, name: 'Cleo' },
      { start: 10, end: 11, name: 'Ben' },
      { start: 11, end: 14, name: 'Cleo' },
    ]
    const names = nameSpeakers(turns, { timeline })
    expect(Object.fromEntries(names)).toEqual({
      spk_1: { name: 'Ben', source: 'timeline', confidence: 3.5 / 6 },
      spk_0: { name: 'Unknown_1', source: 'diarizer', confidence: null },
      spk_2: { name: 'Cleo', source: 'timeline', confidence: 0.75 },
      spk_3: { name: 'Unknown_2', source: 'diarizer', confidence: null },
    })
  })

  it('leaves a speaker unnamed when two timeline names cover it equally', () => {
    const timeline = [
      { start: 0, end: 2, name: 'Ben' },
      { start: 2, end: 4, name: 'Cleo' },
    ]
    expect(nameSpeakers([{ start: 0, end: 4, speaker: 'a' }], { timeline }).get('a')?.name).toBe('Unknown_1')
  })

  it('weighs timeline entries by their confidence', () => {
    const timeline = [
      { start: 0, end: 2.5, name: 'Ben', confidence: 0.2 },
      { start: 2.5, end: 4, name: 'Cleo', confidence: 0.9 },
    ]
    expect(nameSpeakers([{ start: 0, end: 4, speaker: 'a' }], { timeline }).get('a')).toEqual({
      name: 'Cleo',
      source: 'timeline',
      confidence: (1.5 * 0.9) / 4,
    })
  })

  it('names by a known voiceprint close enough, the closest winning; the timeline comes first', () => {
    const names = nameSpeakers(turns, {
      timeline: [{ start: 15, end: 17, name: 'Dev' }],
      fingerprints: { spk_1: print(0, 1, 0.3), spk_0: print(5, 6, 1.2), spk_3: print(9) },
      knownVoiceprints: { Ada: print(0), Eve: print(1), Dev: print(9, 10, 1) },
    })
    expect(names.get('spk_1')).toEqual({ name: 'Ada', source: 'voiceprint', confidence: Math.cos(0.3) })
    // cos(1.2) ≈ 0.36 is under the 0.7 threshold.
    expect(names.get('spk_0')?.name).toBe('Unknown_1')
    expect(names.get('spk_2')?.name).toBe('Unknown_2')
    expect(names.get('spk_3')).toMatchObject({ name: 'Dev', source: 'timeline' })
  })

  it('takes the threshold it is given (cos 0.75 ≈ 0.73)', () => {
    const input = { fingerprints: { a: print(0, 1, 0.75) }, knownVoiceprints: { Ada: print(0) } }
    const one = [{ start: 0, end: 1, speaker: 'a' }]
    expect(nameSpeakers(one, input).get('a')?.name).toBe('Ada')
    expect(nameSpeakers(one, { ...input, voiceprintThreshold: 0.8 }).get('a')?.name).toBe('Unknown_1')
  })
})

describe('speakersInOrder, cosine, fingerprintsByName', () => {
  it('orders speakers by first turn', () => {
    expect(speakersInOrder(turns)).toEqual(['spk_1', 'spk_0', 'spk_2', 'spk_3'])
  })

  it('measures cosine whatever the vectors’ lengths, 0 for a zero vector', () => {
    expect(cosine([2, 0], [5, 5])).toBeCloseTo(Math.SQRT1_2)
    expect(cosine([0, 0], [1, 0])).toBe(0)
  })

  it('returns each name’s fingerprint, averaged when two speakers came out under one name', () => {
    const names = new Map([
      ['a', { name: 'Ben', source: 'timeline' as const, confidence: 1 }],
      ['b', { name: 'Ben', source: 'timeline' as const, confidence: 1 }],
      ['c', { name: 'Unknown_1', source: 'diarizer' as const, confidence: null }],
      ['d', { name: 'Unknown_2', source: 'diarizer' as const, confidence: null }],
    ])
    expect(fingerprintsByName(names, { a: [1, 0], b: [0, 1], c: [0.5, 0.5] })).toEqual({
      Ben: [0.5, 0.5],
      Unknown_1: [0.5, 0.5],
    })
  })
})
