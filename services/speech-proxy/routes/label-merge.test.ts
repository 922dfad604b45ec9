/**
 * Label-merge end to end: the stereo call (the far side bleeding into the mic 40 ms late at −18 dB,
 * one double-talk region) and the two-speaker dialogue, through real ffmpeg and the simulated
 * Parakeet answering from the fixtures' ground truth — so the mic's ASR really hears the bleed.
 */
import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  EarlierLabelMergeTimedBody,
  EarlierLabelMergeTranscribedBody,
  LabelMergeResultBody,
} from '../../../shared/contracts/speech-proxy.ts'
import {
  type AudioFixture,
  type CallFixture,
  dialogue,
  stereoCall,
} from '../../../tests/fixtures/audio/fixtures.ts'
import { startTranscriptionBed, type TranscriptionBed } from '../testing/transcription-bed.ts'

let bed: TranscriptionBed
let call: CallFixture
let talk: AudioFixture
const files = { call: '', mic: '', system: '', talk: '' }

/** Words as a listener hears them: lower case, no punctuation. */
const words = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9' ]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .join(' ')
const says = (text: string, line: string) => words(text).includes(words(line))

beforeAll(async () => {
  bed = await startTranscriptionBed()
  call = await stereoCall()
  talk = await dialogue()
  // The call's truth names every line with its channel: the simulator recognises them wherever
  // they sound, the far side's also in the mic's bleed.
  files.call = await bed.keep(call.path)
  files.mic = await bed.keep(call.micPath, { truth: false })
  files.system = await bed.keep(call.systemPath, { truth: false })
  files.talk = await bed.keep(talk.path)
}, 120_000)

afterAll(async () => {
  await bed?.close()
})

async function post(path: string, audio: Record<string, string>, fields: Record<string, string> = {}) {
  const form = new FormData()
  for (const [field, file] of Object.entries(audio))
    form.set(field, new Blob([await readFile(file)]), basename(file))
  for (const [k, v] of Object.entries(fields)) form.set(k, v)
  return bed.app.request(path, { method: 'POST', body: form })
}

const near = () => call.lines.filter((l) => l.channel === 0)
const far = () => call.lines.filter((l) => l.channel === 1)
const farTimeline = () => JSON.stringify(far().map((l) => ({ start: l.start, end: l.end, name: l.speaker })))

describe('POST /v1/audio/label-merge: the stereo call', () => {
  let body: LabelMergeResultBody
  let res: Response

  beforeAll(async () => {
    res = await post(
      '/v1/audio/label-merge',
      { file: files.call },
      { self_name: 'Ada', timeline: farTimeline() },
    )
    body = (await res.clone().json()) as LabelMergeResultBody
  }, 60_000)

  it('hears the bleed on the mic: the ASR of the mic alone writes the far side’s lines down', async () => {
    const form = new FormData()
    form.set('file', new Blob([await readFile(files.mic)]), 'mic.wav')
    const asr = await bed.app.request('/v1/audio/transcriptions', { method: 'POST', body: form })
    const { text } = (await asr.json()) as { text: string }
    // Where the user is quiet, the far side's lines come through the mic word for word.
    const alone = far().filter((l) => !call.doubleTalk.some((d) => d.start < l.end && d.end > l.start))
    expect(alone.length).toBeGreaterThan(0)
    for (const line of alone) expect(says(text, line.text)).toBe(true)
  })

  it('gives every mic-side line to the user as mic_channel, and none of the far side’s bled copies', () => {
    expect(res.status).toBe(200)
    const mine = body.segments.filter((s) => s.channel === 0)
    for (const s of mine) expect([s.name, s.source, s.speaker]).toEqual(['Ada', 'mic_channel', 'self'])
    expect(mine.map((s) => words(s.text))).toEqual(near().map((l) => words(l.text)))
    for (const line of far()) expect(mine.some((s) => says(s.text, line.text))).toBe(false)
  })

  it('keeps the user’s words in the double talk, and marks both sides of it as overlap', () => {
    const [region] = call.doubleTalk
    if (!region) throw new Error('the call has a double-talk region')
    const during = body.segments.filter((s) => s.start < region.end && s.end > region.start)
    expect(during.map((s) => s.channel).sort()).toEqual([0, 1])
    const userLine = near().find((l) => l.start < region.end && l.end > region.start)
    expect(words(during.find((s) => s.channel === 0)?.text ?? '')).toBe(words(userLine?.text ?? '-'))
    for (const s of body.segments) expect(s.overlap).toBe(during.includes(s))
  })

  it('names the far side from the timeline, each line once, in seconds', () => {
    const theirs = body.segments.filter((s) => s.channel === 1)
    expect(theirs.map((s) => [s.name, s.source, words(s.text)])).toEqual(
      far().map((l) => [l.speaker, 'timeline', words(l.text)]),
    )
    // One diarizer label per voice, whatever the simulator numbered them.
    const labelOf = (name: string) => new Set(theirs.filter((s) => s.name === name).map((s) => s.speaker))
    expect(labelOf('Ben').size).toBe(1)
    expect(labelOf('Cleo').size).toBe(1)
    expect(body.speakers).toEqual(['Ada', 'Ben', 'Cleo'])
    expect(body.duration).toBeCloseTo(call.duration, 2)
    for (const s of body.segments) {
      expect(s.start).toBeGreaterThanOrEqual(0)
      expect(s.end).toBeLessThanOrEqual(call.duration)
    }
    expect(res.headers.get('x-queue-position')).toMatch(/^\d+$/)
    expect(res.headers.get('server-timing')).toMatch(/queue;dur=.*asr;dur=.*diar;dur=.*merge;dur=/)
  })
})

describe('POST /api/audio/label-merge: the earlier contract', () => {
  it('mic_file + system_file, transcribe=true: milliseconds and text, Unknown_N where the timeline is silent', async () => {
    const ben = far().filter((l) => l.speaker === 'Ben')
    const timeline = JSON.stringify(
      ben.map((l) => ({ start: l.start, end: l.end, name: 'Ben', confidence: 0.9 })),
    )
    const res = await post(
      '/api/audio/label-merge',
      { mic_file: files.mic, system_file: files.system },
      { self_name: 'Ada', timeline, transcribe: 'true' },
    )
    expect(res.status).toBe(200)
    const body = (await res.json()) as EarlierLabelMergeTranscribedBody
    expect(body.segments.map((s) => [s.speaker, s.source, words(s.text)])).toEqual(
      call.lines.map((l) => [
        l.speaker === 'Cleo' ? 'Unknown_1' : l.speaker,
        l.channel === 0 ? 'mic_channel' : l.speaker === 'Ben' ? 'timeline' : 'diarizer',
        words(l.text),
      ]),
    )
    for (const [i, s] of body.segments.entries()) {
      expect(Number.isInteger(s.start_ms) && Number.isInteger(s.end_ms)).toBe(true)
      expect(Math.abs(s.start_ms - (call.lines[i]?.start ?? 0) * 1000)).toBeLessThan(300)
      expect(Object.keys(s).sort()).toEqual(['end_ms', 'source', 'speaker', 'start_ms', 'text'])
    }
    expect(body.duration).toBeCloseTo(call.duration, 2)
    expect(Object.keys(body).sort()).toEqual(['duration', 'fingerprints', 'segments', 'speakers'])
  })

  it('transcribe=false: seconds and confidence, no text, the user’s turns from the gate', async () => {
    const res = await post(
      '/api/audio/label-merge',
      { mic_file: files.mic, system_file: files.system },
      { self_name: 'Ada', timeline: farTimeline(), transcribe: 'false' },
    )
    expect(res.status).toBe(200)
    const body = (await res.json()) as EarlierLabelMergeTimedBody
    for (const s of body.segments) {
      expect(Object.keys(s).sort()).toEqual(['confidence', 'end_s', 'source', 'speaker', 'start_s'])
      expect(s.end_s).toBeGreaterThan(s.start_s)
      expect(s.end_s).toBeLessThanOrEqual(call.duration)
    }
    const theirs = body.segments.filter((s) => s.source !== 'mic_channel')
    expect(theirs.map((s) => s.speaker)).toEqual(far().map((l) => l.speaker))
    for (const s of theirs) expect(s.confidence).toBeGreaterThan(0.5)
    // Each of the user's lines is found, within a few frames, among the gate's turns.
    const mine = body.segments.filter((s) => s.source === 'mic_channel')
    for (const line of near())
      expect(mine.some((s) => Math.abs(s.start_s - line.start) < 0.1 && s.speaker === 'Ada')).toBe(true)
  })

  it('returns fingerprints by name that name the same voices by voiceprint next time', async () => {
    const audio = { mic_file: files.mic, system_file: files.system }
    const first = await post('/api/audio/label-merge', audio, { self_name: 'Ada', transcribe: 'false' })
    const { fingerprints } = (await first.json()) as EarlierLabelMergeTimedBody
    // The far side came out as two unknown voices, each with its embedding.
    expect(Object.keys(fingerprints).sort()).toEqual(['Unknown_1', 'Unknown_2'])
    for (const print of Object.values(fingerprints)) expect(print).toHaveLength(192)
    const known = { Ben: fingerprints.Unknown_1, Cleo: fingerprints.Unknown_2 }
    const again = await post('/api/audio/label-merge', audio, {
      self_name: 'Ada',
      transcribe: 'false',
      known_voiceprints: JSON.stringify(known),
    })
    const body = (await again.json()) as EarlierLabelMergeTimedBody
    const theirs = body.segments.filter((s) => s.source !== 'mic_channel')
    expect(theirs.map((s) => [s.speaker, s.source])).toEqual(far().map((l) => [l.speaker, 'voiceprint']))
    expect(Object.keys(body.fingerprints).sort()).toEqual(['Ben', 'Cleo'])
  })

  it('a mono dialogue with a timeline names both speakers', async () => {
    const timeline = JSON.stringify(talk.lines.map((l) => ({ start: l.start, end: l.end, name: l.speaker })))
    const res = await post('/api/audio/label-merge', { file: files.talk }, { timeline })
    expect(res.status).toBe(200)
    const body = (await res.json()) as EarlierLabelMergeTranscribedBody
    expect(body.speakers.sort()).toEqual(['Ada', 'Ben'])
    for (const line of talk.lines) {
      const seg = body.segments.find((s) => says(s.text, line.text))
      expect([seg?.speaker, seg?.source]).toEqual([line.speaker, 'timeline'])
    }
    expect(await bed.leftovers()).toEqual([])
  })
})

describe('label-merge form errors', () => {
  it('bad JSON in timeline is a 422 naming the field: {"detail"} on the earlier route, OpenAI’s envelope on /v1', async () => {
    const earlier = await post('/api/audio/label-merge', { file: files.talk }, { timeline: '[{"start": 1,' })
    expect(earlier.status).toBe(422)
    const { detail } = (await earlier.json()) as { detail: { loc: string[]; msg: string }[] }
    expect(detail[0]?.loc).toEqual(['body', 'timeline'])
    expect(detail[0]?.msg).toMatch(/not valid JSON/)
    const v1 = await post('/v1/audio/label-merge', { file: files.talk }, { timeline: 'nope' })
    expect(v1.status).toBe(422)
    expect(((await v1.json()) as { error: { param: string } }).error.param).toBe('timeline')
  })

  it('names self_vad, known_voiceprints, transcribe and a missing system_file when they are wrong', async () => {
    const cases: [Record<string, string>, Record<string, string>, string][] = [
      [{ file: files.talk }, { self_vad: '{"start": 1}' }, 'self_vad'],
      [{ file: files.talk }, { known_voiceprints: '{"Ada": "x"}' }, 'known_voiceprints'],
      [{ file: files.talk }, { transcribe: 'maybe' }, 'transcribe'],
      [{ file: files.talk }, { timeline: '[{"start": 1, "end": 2}]' }, 'timeline'],
      [{ mic_file: files.mic }, {}, 'system_file'],
    ]
    for (const [audio, fields, field] of cases) {
      const res = await post('/api/audio/label-merge', audio, fields)
      expect(res.status).toBe(422)
      const { detail } = (await res.json()) as { detail: { loc: string[] }[] }
      expect(detail[0]?.loc).toEqual(['body', field])
    }
    // Nothing reached the upstream, and nothing is left on disk.
    expect(await bed.leftovers()).toEqual([])
  })
})

describe('label-merge: the upload limit and a wedged GPU', () => {
  let small: TranscriptionBed
  beforeAll(async () => {
    small = await startTranscriptionBed({ env: { AUDIO_BODY_LIMIT_BYTES: String(100 * 1024) } })
  })
  afterAll(async () => {
    await small?.close()
  })

  it('over the limit: 413 whose detail names it, nothing left on disk', async () => {
    const form = new FormData()
    form.set('mic_file', new Blob([await readFile(files.mic)]), 'mic.wav')
    form.set('system_file', new Blob([await readFile(files.system)]), 'system.wav')
    const res = await small.app.request('/api/audio/label-merge', { method: 'POST', body: form })
    expect(res.status).toBe(413)
    expect(((await res.json()) as { detail: string }).detail).toMatch(/102400/)
    expect(await small.leftovers()).toEqual([])
  })

  it('Parakeet answering with a cuBLAS fault: 503, Retry-After 60, a detail naming it, nothing left', async () => {
    await bed.parakeet.setMode('wedged')
    try {
      const res = await post('/api/audio/label-merge', { mic_file: files.mic, system_file: files.system })
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toBe('60')
      expect(((await res.json()) as { detail: string }).detail).toMatch(/CUBLAS_STATUS_/)
      expect(await bed.leftovers()).toEqual([])
    } finally {
      await bed.parakeet.setMode('ok')
    }
  })
})
