/**
 * Earlier-version contract, `POST /api/audio/label-merge` through the gateway: mono (a file and a
 * timeline) and dual-channel (mic + system audio, or one stereo file), milliseconds and text with
 * `transcribe=true`, seconds and confidence without, `source: "mic_channel"` for the user's own lines,
 * names from the timeline and `Unknown_N` for the rest. Choices made where the earlier contract was
 * silent are in docs/COMPATIBILITY.md (Audio).
 */
import { describe, expect, it } from 'vitest'
import { audioTarget, isInt, says } from './audio-support.ts'

const { files, postForm } = await audioTarget('audio-label-merge')

describe('POST /api/audio/label-merge', () => {
  const benLine = () => files.call.lines.find((l) => l.speaker === 'Ben')!

  it('dual-channel, transcribe=true: ms, the user’s lines from the mic with source mic_channel, names from the timeline, Unknown_N for the rest', async () => {
    const ben = benLine()
    const res = await postForm(
      '/api/audio/label-merge',
      { self_name: 'Ada', timeline: JSON.stringify([{ start: ben.start, end: ben.end, name: 'Ben' }]) },
      { mic_file: files.mic, system_file: files.system },
    )
    expect(res.status).toBe(200)
    expect(res.body.duration).toBeCloseTo(files.call.duration, 0)
    for (const s of res.body.segments) {
      expect(isInt(s.start_ms) && isInt(s.end_ms)).toBe(true)
      expect(typeof s.text).toBe('string')
      expect(s.speaker === 'Ada' || s.speaker === 'Ben' || /^Unknown_\d+$/.test(s.speaker)).toBe(true)
    }
    const mine = res.body.segments.filter((s: { source: string }) => s.source === 'mic_channel')
    expect(mine.length).toBeGreaterThan(0)
    for (const s of mine) expect(s.speaker).toBe('Ada')
    const named = res.body.segments.find((s: { text: string }) => says(s.text, ben.text))
    expect(named?.speaker).toBe('Ben')
    expect(res.body.segments.some((s: { speaker: string }) => /^Unknown_\d+$/.test(s.speaker))).toBe(true)
    // Bleed: the far side's words are not repeated as the user's.
    for (const s of mine) expect(says(s.text, ben.text)).toBe(false)
  })

  it('transcribe=false: seconds and confidence, no text', async () => {
    const res = await postForm(
      '/api/audio/label-merge',
      { self_name: 'Ada', transcribe: 'false' },
      { mic_file: files.mic, system_file: files.system },
    )
    expect(res.status).toBe(200)
    for (const s of res.body.segments) {
      expect(Object.keys(s).sort()).toEqual(['confidence', 'end_s', 'source', 'speaker', 'start_s'])
      expect(s.end_s).toBeLessThanOrEqual(files.call.duration + 0.5)
      expect(s.confidence === null || typeof s.confidence === 'number').toBe(true)
    }
    expect(res.body.segments.some((s: { source: string }) => s.source === 'mic_channel')).toBe(true)
  })

  it('mono: one file and a timeline; a stereo call as one file is dual-channel', async () => {
    const first = files.talk.lines[0]!
    const mono = await postForm(
      '/api/audio/label-merge',
      { timeline: JSON.stringify([{ start: first.start, end: first.end, name: 'Ada', confidence: 0.9 }]) },
      { file: files.dialogue },
    )
    expect(mono.status).toBe(200)
    expect(mono.body.segments.find((s: { text: string }) => says(s.text, first.text))?.speaker).toBe('Ada')
    expect(mono.body.segments.some((s: { source: string }) => s.source === 'mic_channel')).toBe(false)
    const stereo = await postForm('/api/audio/label-merge', { self_name: 'Ada' }, { file: files.stereo })
    expect(stereo.status).toBe(200)
    expect(stereo.body.segments.some((s: { source: string }) => s.source === 'mic_channel')).toBe(true)
  })
})
