import { describe, expect, it } from 'vitest'
import { transcriptVerdict } from './transcription.ts'

describe('transcription verdict', () => {
  it('counts words and speakers', () => {
    expect(
      transcriptVerdict({
        duration: 31.96,
        speakers_detected: ['Speaker_0', 'Speaker_1'],
        segments: [
          { speaker: 'Speaker_0', text: 'Hello, shall we start?' },
          { speaker: 'Speaker_1', text: 'Yes — the budget first.' },
        ],
      }),
    ).toBe('32.0 s of audio: 8 words, 2 speakers')
  })

  it('takes the speakers from the segments when speakers_detected is missing', () => {
    expect(transcriptVerdict({ segments: [{ speaker: 'Ada', text: 'Hi' }] })).toBe(
      'the audio: 1 word, 1 speaker',
    )
  })

  it('fails a transcript with words and no speaker, saying so', () => {
    expect(() =>
      transcriptVerdict({ duration: 4, speakers_detected: [], segments: [{ text: 'Hello there' }] }),
    ).toThrow('the transcript of 4.0 s of audio has 2 words but names no speaker (diarization found none)')
  })

  it('fails a transcript without words (silence, or not speech)', () => {
    expect(() => transcriptVerdict({ duration: 3, speakers_detected: [], segments: [] })).toThrow(
      'the transcript of 3.0 s of audio has no words (0 segments) — is the file speech?',
    )
    expect(() => transcriptVerdict({ segments: [{ speaker: 'Speaker_0', text: ' … ' }] })).toThrow(
      /has no words/,
    )
  })
})
