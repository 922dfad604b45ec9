import { describe, expect, it } from 'vitest'
import { toEarlierLabelMerge } from './earlier-shape.ts'
import type { MergeResult } from './merge.ts'

const result: MergeResult = {
  duration: 28.84,
  speakers: ['Ada', 'Ben', 'Unknown_1'],
  segments: [
    {
      start: 0.5,
      end: 2.5541,
      speaker: 'self',
      name: 'Ada',
      text: 'Hi both.',
      channel: 0,
      source: 'mic_channel',
      confidence: null,
      overlap: false,
    },
    {
      start: 3.4,
      end: 6.0827,
      speaker: 'spk_0',
      name: 'Ben',
      text: 'Loud and clear.',
      channel: 1,
      source: 'timeline',
      confidence: 0.93,
      overlap: true,
    },
    {
      start: 7.4,
      end: 9.6090001,
      speaker: 'spk_1',
      name: 'Unknown_1',
      text: 'Hello.',
      channel: 1,
      source: 'diarizer',
      confidence: null,
      overlap: false,
    },
  ],
}

describe('toEarlierLabelMerge', () => {
  it('answers milliseconds and text when the client asked for a transcript', () => {
    const fingerprints = { Ben: [0.1, 0.2] }
    expect(toEarlierLabelMerge(result, { transcribe: true, fingerprints })).toEqual({
      duration: 28.84,
      speakers: ['Ada', 'Ben', 'Unknown_1'],
      segments: [
        { start_ms: 500, end_ms: 2554, text: 'Hi both.', speaker: 'Ada', source: 'mic_channel' },
        { start_ms: 3400, end_ms: 6083, text: 'Loud and clear.', speaker: 'Ben', source: 'timeline' },
        { start_ms: 7400, end_ms: 9609, text: 'Hello.', speaker: 'Unknown_1', source: 'diarizer' },
      ],
      fingerprints,
    })
  })

  it('answers seconds and confidence when it did not, and empty fingerprints without any', () => {
    expect(toEarlierLabelMerge(result, { transcribe: false })).toEqual({
      duration: 28.84,
      speakers: ['Ada', 'Ben', 'Unknown_1'],
      segments: [
        { start_s: 0.5, end_s: 2.554, confidence: null, speaker: 'Ada', source: 'mic_channel' },
        { start_s: 3.4, end_s: 6.083, confidence: 0.93, speaker: 'Ben', source: 'timeline' },
        { start_s: 7.4, end_s: 9.609, confidence: null, speaker: 'Unknown_1', source: 'diarizer' },
      ],
      fingerprints: {},
    })
  })
})
