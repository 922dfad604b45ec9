import { describe, expect, it } from 'vitest'
import { render, timestamp } from './formats.ts'
import type { Transcript } from './types.ts'

const plain: Transcript = {
  duration: 3725.5,
  language: 'en',
  text: 'Hello, world. Bye now.',
  words: [
    { word: ' Hello', start: 0.5, end: 0.9 },
    { word: ',', start: 0.9, end: 0.9 },
    { word: ' world', start: 1.0, end: 1.4 },
    { word: '.', start: 1.4, end: 1.4 },
    { word: ' Bye', start: 3723.0, end: 3723.4 },
    { word: ' now.', start: 3723.5, end: 3724.0015 },
  ],
  segments: [
    { id: 0, start: 0.5, end: 1.4, text: 'Hello, world.' },
    { id: 1, start: 3723.0, end: 3724.0015, text: 'Bye now.' },
  ],
}

const diarized: Transcript = {
  ...plain,
  segments: [
    { id: 0, start: 0.5, end: 1.4, text: 'Hello, world.', speaker: 'Ada' },
    { id: 1, start: 3723.0, end: 3724.0015, text: 'Bye now.', speaker: 'Ben Lee' },
  ],
  speakers: ['Ada', 'Ben Lee'],
}

describe('render', () => {
  it('json and text carry the text', () => {
    expect(render(plain, 'json')).toEqual({
      body: '{"text":"Hello, world. Bye now."}',
      contentType: 'application/json',
    })
    expect(render(plain, 'text')).toEqual({
      body: 'Hello, world. Bye now.\n',
      contentType: 'text/plain; charset=utf-8',
    })
  })

  it('srt numbers cues from 1 with comma milliseconds; hours past one are written', () => {
    expect(render(plain, 'srt').body).toBe(
      '1\n00:00:00,500 --> 00:00:01,400\nHello, world.\n\n2\n01:02:03,000 --> 01:02:04,002\nBye now.\n',
    )
    expect(render(diarized, 'srt').body).toContain('[Ada] Hello, world.')
  })

  it('vtt starts with its header, uses dot milliseconds and voice spans for speakers', () => {
    expect(render(plain, 'vtt').body).toBe(
      'WEBVTT\n\n00:00:00.500 --> 00:00:01.400\nHello, world.\n\n01:02:03.000 --> 01:02:04.002\nBye now.\n',
    )
    expect(render(diarized, 'vtt').body).toContain('<v Ada>Hello, world.')
    expect(render(diarized, 'vtt').contentType).toBe('text/vtt; charset=utf-8')
  })

  it('verbose_json has OpenAI fields; words only when asked for, bare; speakers when diarized', () => {
    const segmentsOnly = JSON.parse(render(plain, 'verbose_json').body)
    expect(segmentsOnly).toEqual({
      task: 'transcribe',
      language: 'en',
      duration: 3725.5,
      text: 'Hello, world. Bye now.',
      segments: [
        { id: 0, start: 0.5, end: 1.4, text: 'Hello, world.' },
        { id: 1, start: 3723.0, end: 3724.0015, text: 'Bye now.' },
      ],
    })
    const withWords = JSON.parse(
      render(diarized, 'verbose_json', { granularities: ['word', 'segment'] }).body,
    )
    expect(withWords.words[0]).toEqual({ word: 'Hello', start: 0.5, end: 0.9 })
    expect(withWords.segments[1].speaker).toBe('Ben Lee')
    expect(JSON.parse(render({ ...plain, language: null }, 'verbose_json').body).language).toBe('unknown')
  })

  it("diarized_json is OpenAI's diarized shape", () => {
    expect(JSON.parse(render(diarized, 'diarized_json').body)).toEqual({
      task: 'transcribe',
      duration: 3725.5,
      text: 'Hello, world. Bye now.',
      segments: [
        {
          id: 'seg_0',
          type: 'transcript.text.segment',
          speaker: 'Ada',
          start: 0.5,
          end: 1.4,
          text: 'Hello, world.',
        },
        {
          id: 'seg_1',
          type: 'transcript.text.segment',
          speaker: 'Ben Lee',
          start: 3723,
          end: 3724.0015,
          text: 'Bye now.',
        },
      ],
    })
  })

  it('rttm writes one SPEAKER line per diarized segment, no spaces inside fields', () => {
    expect(render(diarized, 'rttm', { fileId: 'team call' }).body).toBe(
      'SPEAKER team_call 1 0.500 0.900 <NA> <NA> Ada <NA> <NA>\n' +
        'SPEAKER team_call 1 3723.000 1.002 <NA> <NA> Ben_Lee <NA> <NA>\n',
    )
    expect(render(plain, 'rttm').body).toBe('')
  })

  it('captions a transcript without segments as one cue, and none when there is no text', () => {
    const bare: Transcript = { duration: 4, language: null, text: 'Just text.', words: [], segments: [] }
    expect(render(bare, 'srt').body).toBe('1\n00:00:00,000 --> 00:00:04,000\nJust text.\n')
    expect(render({ ...bare, text: '' }, 'vtt').body).toBe('WEBVTT\n')
  })

  it('rounds timestamps to the millisecond without carrying into 1000', () => {
    expect(timestamp(59.9996, ',')).toBe('00:01:00,000')
    expect(timestamp(-0.2, '.')).toBe('00:00:00.000')
  })
})
