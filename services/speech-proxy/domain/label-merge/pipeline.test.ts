import { describe, expect, it } from 'vitest'
import { readPcm16k } from '../../adapters/ffmpeg.ts'
import type { AudioInfo, Workspace } from '../transcribe/ports.ts'
import type { TimedWord } from './dedup.ts'
import { energyEnvelope } from './envelope.ts'
import {
  createLabelMerge,
  envelopeOf,
  type LabelMergeJob,
  type LabelMergePorts,
  type SideJob,
  type SideTurns,
  type SideWords,
} from './pipeline.ts'
import { callEnvelopes, wordsOf } from './testing.ts'

const { call } = await callEnvelopes()
const near = call.lines.filter((l) => l.channel === 0)
const far = call.lines.filter((l) => l.channel === 1)
const speakerOf = (name: string) => (name === 'Ben' ? 'Speaker_1' : 'Speaker_0')
/** What the ASR hears on the mic: the user, and the far side's lines where the user is quiet. */
const bledIn = far
  .flatMap((l) => wordsOf(l, call.bleed.delayS))
  .filter((w) => !near.some((n) => n.start < w.end && n.end > w.start))
const micWords = [...near.flatMap((l) => wordsOf(l)), ...bledIn].sort((a, b) => a.start - b.start)
const systemWords = far.flatMap((l) => wordsOf(l))
const farTurns = far.map((l) => ({
  start: l.start,
  end: l.end,
  speaker: speakerOf(l.speaker),
  confidence: 0.8,
}))

interface Recorded {
  mono: { path: string; out: string; channel: 0 | 1 | undefined }[]
  transcribed: string[]
  diarized: string[]
  removed: boolean
  signals: AbortSignal[]
}

/**
 * Ports over the stereo call: the normalised sides are the fixture's own mic and system tracks, the
 * ASR answers the words above, the diarizer the far side's turns (or the file's, in mono).
 */
function fakePorts(opts: {
  probe?: Record<string, AudioInfo>
  identical?: boolean
  diarize?: (job: SideJob) => Promise<SideTurns>
}): { ports: LabelMergePorts; seen: Recorded } {
  const seen: Recorded = { mono: [], transcribed: [], diarized: [], removed: false, signals: [] }
  const tracks: Record<string, string> = { '/ws/mic.wav': call.micPath, '/ws/system.wav': call.systemPath }
  const ws: Workspace = {
    file: (name) => `/ws/${name}`,
    remove: async () => {
      seen.removed = true
    },
  }
  const work = { queuePosition: 0, timings: { queue: 5, asr: 10 } }
  const ports: LabelMergePorts = {
    tools: {
      probe: async (path) => opts.probe?.[path] ?? { durationS: call.duration, channels: 2 },
      channelsIdentical: async () => opts.identical ?? false,
      toMono16k: async (path, out, _signal, o) => {
        seen.mono.push({ path, out, channel: o?.channel })
      },
    },
    readPcm: (path, window) => readPcm16k(tracks[path] ?? call.micPath, window),
    workspace: async () => ws,
    async transcribe(job): Promise<SideWords> {
      seen.transcribed.push(job.path16k)
      seen.signals.push(job.signal)
      const words: TimedWord[] = job.path16k === '/ws/system.wav' ? systemWords : micWords
      return { ...work, words, queuePosition: job.path16k === '/ws/mic.wav' ? 3 : 1 }
    },
    async diarize(job) {
      seen.diarized.push(job.path16k)
      if (opts.diarize) return opts.diarize(job)
      return { queuePosition: 0, timings: { queue: 1, diar: 20 }, turns: farTurns, fingerprints: {} }
    },
  }
  return { ports, seen }
}

const job = (over: Partial<LabelMergeJob> = {}): LabelMergeJob => ({
  audio: { file: '/upload/call.wav' },
  transcribe: true,
  selfName: 'Ada',
  timeline: far.filter((l) => l.speaker === 'Ben').map((l) => ({ start: l.start, end: l.end, name: 'Ben' })),
  client: 'ip:test',
  signal: new AbortController().signal,
  ...over,
})

describe('label-merge pipeline', () => {
  it('splits a stereo call into mic (channel 0) and system sides, diarizes only the system side, and merges', async () => {
    const { ports, seen } = fakePorts({})
    const out = await createLabelMerge(ports).run(job())
    expect(out.mode).toBe('dual_channel')
    expect(seen.mono).toEqual([
      { path: '/upload/call.wav', out: '/ws/mic.wav', channel: 0 },
      { path: '/upload/call.wav', out: '/ws/system.wav', channel: 1 },
    ])
    expect(seen.transcribed.sort()).toEqual(['/ws/mic.wav', '/ws/system.wav'])
    expect(seen.diarized).toEqual(['/ws/system.wav'])
    expect(out.result.segments.map((s) => [s.name, s.text, s.source])).toEqual(
      call.lines.map((l) => [
        l.speaker === 'Cleo' ? 'Unknown_1' : l.speaker,
        l.text,
        l.channel === 0 ? 'mic_channel' : l.speaker === 'Ben' ? 'timeline' : 'diarizer',
      ]),
    )
    expect(out.result.duration).toBe(Math.round(call.duration * 1000) / 1000)
    // Per-side work adds up; the worst queue position is the request's.
    expect(out.queuePosition).toBe(3)
    expect(out.timings.queue).toBe(5 + 5 + 1)
    expect(out.timings.asr).toBe(20)
    expect(out.timings.diar).toBe(20)
    expect(seen.removed).toBe(true)
  })

  it('takes two uploads as mic and system, each mixed to mono, the longer one giving the duration', async () => {
    const { ports, seen } = fakePorts({
      probe: {
        '/upload/mic.webm': { durationS: 20.0004, channels: 1 },
        '/upload/system.webm': { durationS: 21.5, channels: 2 },
      },
    })
    const out = await createLabelMerge(ports).run(
      job({ audio: { micFile: '/upload/mic.webm', systemFile: '/upload/system.webm' } }),
    )
    expect(out.mode).toBe('dual_channel')
    expect(seen.mono).toEqual([
      { path: '/upload/mic.webm', out: '/ws/mic.wav', channel: undefined },
      { path: '/upload/system.webm', out: '/ws/system.wav', channel: undefined },
    ])
    expect(out.result.duration).toBe(21.5)
  })

  it('treats a stereo file with the same signal twice as mono: one side, ASR and the diarizer on it', async () => {
    const turns = [
      { start: 0.5, end: 2.9, speaker: 'Speaker_0' },
      { start: 3.4, end: 6.1, speaker: 'Speaker_1' },
    ]
    const { ports, seen } = fakePorts({
      identical: true,
      diarize: async () => ({ queuePosition: 0, timings: {}, turns, fingerprints: { Speaker_1: [0, 1] } }),
    })
    const asr = ports.transcribe
    ports.transcribe = async (side) => ({
      ...(await asr(side)),
      words: [
        { word: 'Hi', start: 0.5, end: 1 },
        { word: 'both.', start: 1.1, end: 2.8 },
        { word: 'Loud.', start: 3.5, end: 6 },
      ],
    })
    const out = await createLabelMerge(ports).run(
      job({ timeline: [{ start: 0, end: 3, name: 'Ada' }], knownVoiceprints: { Ben: [0.1, 0.9] } }),
    )
    expect(out.mode).toBe('mono')
    expect(seen.mono).toEqual([{ path: '/upload/call.wav', out: '/ws/audio.wav', channel: 0 }])
    expect(seen.transcribed).toEqual(['/ws/audio.wav'])
    expect(seen.diarized).toEqual(['/ws/audio.wav'])
    expect(out.result.speakers).toEqual(['Ada', 'Ben'])
    expect(out.result.segments.map((s) => [s.name, s.text, s.source, s.channel])).toEqual([
      ['Ada', 'Hi both.', 'timeline', null],
      ['Ben', 'Loud.', 'voiceprint', null],
    ])
    expect(out.fingerprints).toEqual({ Ben: [0, 1] })
  })

  it('without transcribe, calls no ASR and answers turns: the gate’s on the mic, the diarizer’s (with confidence) far', async () => {
    const { ports, seen } = fakePorts({})
    const out = await createLabelMerge(ports).run(job({ transcribe: false }))
    expect(seen.transcribed).toEqual([])
    expect(out.result.segments.every((s) => s.text === '')).toBe(true)
    const remote = out.result.segments.filter((s) => s.channel === 1)
    expect(remote.map((s) => s.confidence)).toEqual(
      far.map((l) => (l.speaker === 'Ben' ? expect.any(Number) : 0.8)),
    )
    expect(out.result.segments.filter((s) => s.channel === 0).length).toBeGreaterThanOrEqual(near.length)
  })

  it('on a failing side aborts the others, waits for them, removes the workspace and throws the failure', async () => {
    let asrSettled = 0
    const { ports, seen } = fakePorts({ diarize: async () => Promise.reject(new Error('diarizer down')) })
    const transcribe = ports.transcribe
    ports.transcribe = async (side) => {
      // The ASR runs until it is told to stop.
      await new Promise((resolve) => side.signal.addEventListener('abort', resolve, { once: true }))
      asrSettled++
      expect(seen.removed).toBe(false)
      return transcribe(side)
    }
    await expect(createLabelMerge(ports).run(job())).rejects.toThrow('diarizer down')
    expect(asrSettled).toBe(2)
    expect(seen.removed).toBe(true)
  })
})

describe('envelopeOf', () => {
  it('reads a side in windows and gives the envelope of the whole', async () => {
    const reads: number[] = []
    const ports = {
      readPcm: (path: string, w: { startS: number; durS: number }) => {
        reads.push(w.startS)
        return readPcm16k(path, w)
      },
    }
    const windowed = await envelopeOf(ports, call.micPath, new AbortController().signal, 7.3)
    const whole = energyEnvelope(await readPcm16k(call.micPath))
    expect(reads.length).toBe(Math.ceil(call.duration / 7.3) + (call.duration % 7.3 === 0 ? 1 : 0))
    expect(windowed.db.length).toBe(whole.db.length)
    expect(Math.max(...windowed.db.map((v, i) => Math.abs(v - (whole.db[i] as number))))).toBeLessThan(1e-3)
  })
})
