import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppError } from '../../../../shared/errors.ts'
import { deferred } from '../../../../shared/testing/deferred.ts'
import { workspaces } from '../../adapters/workspace.ts'
import { createAdmission } from '../admission/admission.ts'
import type { Admit } from '../admission/lanes.ts'
import { createPipeline, type PipelineDeps, type TranscribeJob } from './pipeline.ts'
import { fakeEngine, fakeTools, type Recording, recording } from './testing.ts'

let parent: string
const CHUNKING = { targetS: 60, maxS: 90, marginS: 5 }

beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), 'pipeline-test-'))
})
afterEach(async () => {
  await rm(parent, { recursive: true, force: true })
})

function lanes(seen: Admit[] = []) {
  const admission = createAdmission({
    limits: { asr: 2, diarize: 1, tts: 1 },
    maxQueue: { asr: 100, diarize: 100, tts: 100 },
    perClientMax: 32,
  })
  return {
    seen,
    run: ((req, fn) => {
      seen.push(req)
      return admission.run(req, fn)
    }) as PipelineDeps['lanes']['run'],
  }
}

function setup(rec: Recording, opts: Parameters<typeof fakeEngine>[2] = {}) {
  const spans = new Map<string, { start: number; end: number }>()
  const tools = fakeTools(rec, spans)
  const engine = fakeEngine(rec, spans, opts)
  const seen: Admit[] = []
  const pipeline = createPipeline({
    tools,
    engine,
    lanes: lanes(seen),
    workspace: workspaces(parent),
    chunking: CHUNKING,
  })
  return { tools, engine, seen, pipeline }
}

const job = (over: Partial<TranscribeJob> = {}): TranscribeJob => ({
  path: '/uploads/audio.webm',
  diarize: false,
  client: 'ip:127.0.0.1',
  deadlines: { asr: 60_000, diarize: 60_000 },
  chunking: 'auto',
  signal: new AbortController().signal,
  ...over,
})

const bare = (w: string) => w.trim()

describe('transcription pipeline', () => {
  it('a file that fits one chunk: one upstream call on the normalised audio, standard priority', async () => {
    const rec = recording(40)
    const { tools, engine, seen, pipeline } = setup(rec)
    const out = await pipeline.transcribe(job())
    expect(engine.transcribed).toBe(1)
    expect(tools.calls.cuts).toEqual([])
    expect(tools.calls.silences).toBe(0)
    expect(seen.map((s) => [s.lane, s.priority, s.work])).toEqual([['asr', 'standard', 40]])
    expect(out.transcript.words.map((w) => w.word)).toEqual(rec.words.map((w) => w.word))
    expect(out.transcript.text).toBe(rec.words.map((w) => w.word).join(' '))
    expect(out.chunks).toBe(1)
    expect(out.models).toEqual({ transcription: 'fake-parakeet', diarization: null })
    expect(await readdir(parent)).toEqual([])
  })

  it('long audio: cut at pauses, chunks as batch work, every word once, in order, in file time', async () => {
    const rec = recording(400)
    const { tools, engine, seen, pipeline } = setup(rec)
    const out = await pipeline.transcribe(job())
    expect(out.chunks).toBeGreaterThan(4)
    expect(tools.calls.cuts).toHaveLength(out.chunks)
    expect(tools.calls.cuts.every((c) => c.dur <= CHUNKING.maxS + 1e-9)).toBe(true)
    expect(engine.peak()).toBeLessThanOrEqual(2)
    expect(new Set(seen.map((s) => s.priority))).toEqual(new Set(['batch']))
    const words = out.transcript.words
    expect(words.map((w) => w.word)).toEqual(rec.words.map((w) => w.word))
    for (const [i, w] of words.entries()) {
      expect(w.start).toBeCloseTo(rec.words[i]!.start, 6)
      expect(w.end).toBeCloseTo(rec.words[i]!.end, 6)
    }
    expect(out.transcript.text).toBe(rec.words.map((w) => w.word).join(' '))
    expect(await readdir(parent)).toEqual([])
  })

  it('an asked priority holds for every chunk; chunking=off sends the file whole', async () => {
    const rec = recording(200)
    const asked = setup(rec)
    await asked.pipeline.transcribe(job({ priority: 'interactive' }))
    expect(new Set(asked.seen.map((s) => s.priority))).toEqual(new Set(['interactive']))
    const whole = setup(rec)
    const out = await whole.pipeline.transcribe(job({ chunking: 'off' }))
    expect(out.chunks).toBe(1)
    expect(whole.tools.calls.cuts).toEqual([])
  })

  it('words with or without leading spaces make the same text, no space before punctuation', async () => {
    const rec = recording(200)
    const spaced = await setup(rec, { leadingSpaces: true }).pipeline.transcribe(job())
    const plain = await setup(rec).pipeline.transcribe(job())
    expect(spaced.transcript.text).toBe(plain.transcript.text)
    expect(plain.transcript.text).toMatch(/^w0 w1 w2 w3 w4 w5 w6 w7\. w8/)
    expect(spaced.transcript.words.map((w) => bare(w.word))).toEqual(
      plain.transcript.words.map((w) => w.word),
    )
  })

  it('identical stereo channels are read from one channel; other stereo is mixed', async () => {
    const same = setup({ ...recording(20), channels: 2, identical: true })
    await same.pipeline.transcribe(job())
    expect(same.tools.calls.monoOpts).toEqual([{ channel: 0 }])
    const different = setup({ ...recording(20), channels: 2, identical: false })
    await different.pipeline.transcribe(job())
    expect(different.tools.calls.monoOpts).toEqual([{}])
  })

  it('an upstream failure in one chunk fails the job once every call has settled; the workspace goes', async () => {
    const rec = recording(400)
    let calls = 0
    const wedge = new AppError(503, 'upstream_wedged', 'GPU fault', { retryAfterS: 60 })
    const { engine, pipeline } = setup(rec, {
      hold: async () => {
        if (++calls === 3) throw wedge
      },
    })
    await expect(pipeline.transcribe(job())).rejects.toBe(wedge)
    expect(engine.active()).toBe(0)
    expect(await readdir(parent)).toEqual([])
  })

  it('a client that goes away aborts the running call, and the workspace goes', async () => {
    const rec = recording(400)
    const client = new AbortController()
    const running = deferred<AbortSignal>()
    const { engine, pipeline } = setup(rec, {
      hold: (signal) => {
        running.resolve(signal)
        return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))
      },
    })
    const result = pipeline.transcribe(job({ signal: client.signal }))
    const upstreamSignal = await running.promise
    expect(await readdir(parent)).toHaveLength(1)
    client.abort(new AppError(499, 'client_closed', 'gone'))
    await expect(result).rejects.toMatchObject({ status: 499 })
    expect(upstreamSignal.aborted).toBe(true)
    expect(engine.active()).toBe(0)
    expect(await readdir(parent)).toEqual([])
  })

  it('diarized: words take their turn’s speaker, numbered by first appearance, blocks per sentence', async () => {
    const rec = recording(30)
    const { seen, pipeline } = setup(rec)
    const out = await pipeline.transcribe(job({ diarize: true }))
    expect(seen.map((s) => s.lane).sort()).toEqual(['asr', 'diarize'])
    const t = out.transcript
    expect(t.speakers).toEqual(['Speaker_0', 'Speaker_1'])
    expect(t.words[0]!.speaker).toBe('Speaker_0')
    expect(t.segments.map((s) => s.speaker)).toEqual(t.segments.map((_, i) => `Speaker_${i % 2}`))
    expect(t.segments[0]!.text).toBe('w0 w1 w2 w3 w4 w5 w6 w7.')
    expect(out.models.diarization).toBe('nvidia/diar_sortformer_4spk-v1')
  })

  it('diarized long audio: the diarizer runs over its own short chunks beside the ASR, its labels linked', async () => {
    const rec = recording(200)
    const { tools, seen, pipeline } = setup(rec)
    const out = await pipeline.transcribe(job({ diarize: true }))
    const diarized = seen.filter((s) => s.lane === 'diarize')
    const asr = seen.filter((s) => s.lane === 'asr')
    expect(asr).toHaveLength(out.chunks)
    // 40 s diarizer chunks (at most 56 s) against 60–90 s ASR chunks; one pause search for both.
    expect(diarized.length).toBeGreaterThan(out.chunks)
    expect(diarized.every((s) => s.work <= 56 + 1e-9)).toBe(true)
    expect(tools.calls.silences).toBe(1)
    const t = out.transcript
    expect(t.speakers).toEqual(['Speaker_0', 'Speaker_1'])
    expect(t.words.map((w) => w.word)).toEqual(rec.words.map((w) => w.word))
    // Sentences alternate voices across every chunk boundary: linking kept the two labels apart.
    expect(t.segments.map((s) => s.speaker)).toEqual(t.segments.map((_, i) => `Speaker_${i % 2}`))
    expect(await readdir(parent)).toEqual([])
  })

  /** A 200 s recording whose diarizer fails as `diarizeChunk` does; the ASR as `asr` says. */
  function failingDiarizer(
    diarizeChunk: PipelineDeps['engine']['diarizeChunk'],
    asr: Parameters<typeof fakeEngine>[2] = {},
  ) {
    const rec = recording(200)
    const spans = new Map<string, { start: number; end: number }>()
    const engine = fakeEngine(rec, spans, asr)
    const pipeline = createPipeline({
      tools: fakeTools(rec, spans),
      engine: { ...engine, diarizeChunk },
      lanes: lanes(),
      workspace: workspaces(parent),
      chunking: CHUNKING,
    })
    return { engine, pipeline }
  }

  it('a diarizer failure fails the job once the ASR calls have settled', async () => {
    const wedge = new AppError(503, 'upstream_wedged', 'GPU fault', { retryAfterS: 60 })
    const { engine, pipeline } = failingDiarizer(async () => Promise.reject(wedge))
    await expect(pipeline.transcribe(job({ diarize: true }))).rejects.toBe(wedge)
    expect(engine.active()).toBe(0)
    expect(await readdir(parent)).toEqual([])
  })

  it('reports the diarizer’s failure, not the abort it caused to an ASR call still running', async () => {
    const asrRunning = deferred<void>()
    const wedge = new AppError(503, 'upstream_wedged', 'GPU fault', { retryAfterS: 60 })
    const diarizeChunk = async () => {
      await asrRunning.promise
      throw wedge
    }
    // The ASR holds until it is aborted, then rejects as the lanes do for a caller that went away.
    const { engine, pipeline } = failingDiarizer(diarizeChunk, {
      hold: (signal) => {
        asrRunning.resolve()
        return new Promise((_, reject) =>
          signal.addEventListener('abort', () =>
            reject(new AppError(499, 'client_closed', 'The client went away before its request ran.')),
          ),
        )
      },
    })
    await expect(pipeline.transcribe(job({ diarize: true }))).rejects.toBe(wedge)
    expect(engine.active()).toBe(0)
    expect(await readdir(parent)).toEqual([])
  })

  it('a long pause inside one speaker’s turn starts a new block', async () => {
    const rec: Recording = {
      durationS: 10,
      words: [
        { word: 'w0', start: 0.5, end: 0.9 },
        { word: 'w1', start: 1.0, end: 1.4 },
        { word: 'w2', start: 3.1, end: 3.5 },
      ],
    }
    const out = await setup(rec).pipeline.transcribe(job({ diarize: true }))
    expect(out.transcript.segments.map((s) => s.text)).toEqual(['w0 w1', 'w2'])
  })
})
