import { describe, expect, it } from 'vitest'
import { assignSpeakers, mergePieces, selfVoice, type Voice, type VoicedPiece, voiceOf } from './merge.ts'

const ada = selfVoice('Ada')
const ben = voiceOf('spk_0', { name: 'Ben', source: 'timeline', confidence: 0.9 }, 1)
const unknown = voiceOf('spk_1', { name: 'Unknown_1', source: 'diarizer', confidence: null }, 1)

/** Words one after another from `start`, each 0.3 s with 0.1 s between. */
function say(voice: Voice, start: number, text: string): VoicedPiece[] {
  return text
    .split(' ')
    .map((word, i) => ({ start: start + i * 0.4, end: start + i * 0.4 + 0.3, text: word, voice }))
}

describe('mergePieces', () => {
  it('groups a person’s words into one segment until someone else speaks, even in a short pause', () => {
    const { segments, speakers } = mergePieces(
      [...say(ben, 1.3, 'Yes .'), ...say(ada, 0, 'Hi both ,'), ...say(ada, 2.2, 'Good .')],
      10,
    )
    expect(speakers).toEqual(['Ada', 'Ben'])
    expect(segments.map((s) => [s.name, s.text, s.start, s.end, s.overlap])).toEqual([
      ['Ada', 'Hi both,', 0, 1.1, false],
      ['Ben', 'Yes.', 1.3, 2, false],
      ['Ada', 'Good.', 2.2, 2.9, false],
    ])
  })

  it('starts a new segment after a pause over 1.5 s, not at one under it', () => {
    const pieces = [...say(ben, 0, 'one two'), ...say(ben, 2.2, 'three'), ...say(ben, 4.1, 'four')]
    // 0.7 → 2.2 is 1.5 s (kept together); 2.5 → 4.1 is 1.6 s (split).
    expect(mergePieces(pieces, 5).segments.map((s) => s.text)).toEqual(['one two three', 'four'])
    expect(mergePieces(pieces, 5, 1).segments.map((s) => s.text)).toEqual(['one two', 'three', 'four'])
  })

  it('keeps both sides of double talk as their own segments, marked as overlapping', () => {
    const pieces = [
      ...say(ben, 0, 'we are ready to ship the beta'),
      ...say(ada, 2, 'wait does that include billing'),
    ]
    const { segments } = mergePieces(pieces, 5)
    expect(segments.map((s) => [s.name, s.text, s.overlap])).toEqual([
      ['Ben', 'we are ready to ship the beta', true],
      ['Ada', 'wait does that include billing', true],
    ])
  })

  it('carries channel, source and confidence for each side', () => {
    const pieces = [
      { start: 0, end: 1, text: 'yes', confidence: 0.8, voice: ada },
      { start: 0.2, end: 0.6, text: 'right', confidence: 0.6, voice: ada },
      { start: 2, end: 3, voice: unknown },
      { start: 4, end: 5, voice: ben },
    ]
    expect(mergePieces(pieces, 6).segments).toEqual([
      {
        start: 0,
        end: 1,
        speaker: 'self',
        name: 'Ada',
        text: 'yes right',
        channel: 0,
        source: 'mic_channel',
        confidence: 0.7,
        overlap: false,
      },
      {
        start: 2,
        end: 3,
        speaker: 'spk_1',
        name: 'Unknown_1',
        text: '',
        channel: 1,
        source: 'diarizer',
        confidence: null,
        overlap: false,
      },
      {
        start: 4,
        end: 5,
        speaker: 'spk_0',
        name: 'Ben',
        text: '',
        channel: 1,
        source: 'timeline',
        confidence: 0.9,
        overlap: false,
      },
    ])
  })
})

describe('assignSpeakers', () => {
  const turns = [
    { start: 0, end: 2, speaker: 'a' },
    { start: 2, end: 4, speaker: 'b' },
  ]

  it('gives each word the turn it overlaps most, else the nearest one', () => {
    const words = [
      { word: 'x', start: 1.5, end: 2.1 },
      { word: 'y', start: 1.9, end: 2.6 },
      { word: 'z', start: 4.5, end: 4.8 },
    ]
    expect(assignSpeakers(words, turns).map((w) => w.speaker)).toEqual(['a', 'b', 'b'])
  })
})
