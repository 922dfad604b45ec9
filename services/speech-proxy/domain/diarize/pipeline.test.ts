import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../../shared/random.ts'
import type { Admit } from '../admission/admission.ts'
import type { Chunk } from '../audio/chunking.ts'
import { diarizeChunk, purity, randomVoices, sceneTimeline } from '../speakers/testing.ts'
import type { DiarizedChunk } from '../speakers/types.ts'
import type { AudioTools, Workspace } from '../transcribe/ports.ts'
import { createDiarizer, type DiarizeJob } from './pipeline.ts'

const SCENES = 8
const DURATION = SCENES * 40

/** A 320 s recording of six voices, as the fakes below hear it. */
function bed(opts: { referencePrint?: boolean } = {}) {
  const rand = seededRandom(31)
  const voices = randomVoices(6, rand)
  const truth = sceneTimeline(SCENES, 6, rand)
  const cuts = new Map<string, { start: number; dur: number }>()
  const admitted: Admit[] = []
  const removed: string[] = []
  const tools: AudioTools = {
    probe: async (path) => ({ durationS: path.includes('known') ? 5 : DURATION, channels: 1 }),
    channelsIdentical: async () => false,
    toMono16k: async () => {},
    // Each scene ends in a half-second pause.
    silences: async () =>
      Array.from({ length: SCENES }, (_, k) => ({ start: 40 * k + 39.5, end: 40 * k + 40 })),
    cut: async (_in, out, start, dur) => {
      cuts.set(out, { start, dur })
    },
  }
  const engine = {
    diarizeChunk: async (path: string): Promise<DiarizedChunk> => {
      if (path.includes('known')) {
        const clip = diarizeChunk(
          { index: 0, start: 0, end: 5, bodyStart: 0, bodyEnd: 5 },
          truth,
          voices,
          rand,
        )
        return opts.referencePrint === false ? { ...clip, fingerprints: {} } : clip
      }
      const cut = cuts.get(path) ?? { start: 0, dur: DURATION }
      const c: Chunk = { index: 0, start: cut.start, end: cut.start + cut.dur, bodyStart: 0, bodyEnd: 0 }
      return diarizeChunk(c, truth, voices, rand)
    },
  }
  const lanes = {
    run: async <T>(req: Admit, fn: (s: AbortSignal) => Promise<T>) => {
      admitted.push(req)
      return { value: await fn(req.signal), queueMs: 2, serviceMs: 5, position: admitted.length - 1 }
    },
  }
  const workspace = async (): Promise<Workspace> => ({
    file: (name) => `/ws/${name}`,
    remove: async () => {
      removed.push('ws')
    },
  })
  // The scenes' margins hold only the host who crosses the cut (speakers/testing.ts).
  const chunking = { targetS: 40, maxS: 52, marginS: 4 }
  const diarizer = createDiarizer({ tools, engine, lanes, workspace, linkThreshold: 0.7, chunking })
  const job: DiarizeJob = {
    path: '/upload/meeting.wav',
    hints: {},
    known: [],
    client: 'ip:1',
    deadlineMs: 60_000,
    chunking: 'auto',
    signal: new AbortController().signal,
  }
  return { diarizer, job, truth, admitted, removed, cuts }
}

describe('the diarization pipeline', () => {
  it('cuts a long file at its pauses, runs every chunk in the diarize lane as batch work, and links them', async () => {
    const { diarizer, job, truth, admitted, removed } = bed()
    const out = await diarizer.diarize(job)
    expect(out.chunks).toBeGreaterThanOrEqual(6)
    expect(admitted).toHaveLength(out.chunks)
    for (const a of admitted) {
      expect(a.lane).toBe('diarize')
      expect(a.priority).toBe('batch')
      expect(a.work).toBeLessThanOrEqual(52)
    }
    expect(out.speakers).toHaveLength(6)
    for (const p of purity(truth, out.segments)) expect(p.share).toBeGreaterThanOrEqual(0.9)
    expect(out.timings.queue).toBe(2 * out.chunks)
    expect(removed).toEqual(['ws'])
  })

  it('sends the whole file once, at standard priority, when chunking is off', async () => {
    const { diarizer, job, admitted } = bed()
    const out = await diarizer.diarize({ ...job, chunking: 'off' })
    expect(out.chunks).toBe(1)
    expect(admitted.map((a) => [a.priority, a.work])).toEqual([['standard', DURATION]])
  })

  it('fails on an unusable reference clip before diarizing the recording, and still cleans up', async () => {
    const { diarizer, job, admitted, removed } = bed({ referencePrint: false })
    const known = [{ name: 'Ada', path: '/upload/known-0.audio' }]
    await expect(diarizer.diarize({ ...job, known })).rejects.toMatchObject({
      status: 422,
      code: 'reference_unusable',
    })
    expect(admitted).toHaveLength(1)
    expect(removed).toEqual(['ws'])
  })

  it('answers one chunk as the upstream did, with the default model named', async () => {
    const { diarizer, job } = bed()
    const { chunk, queuePosition } = await diarizer.diarizeChunk(job)
    expect(queuePosition).toBe(0)
    expect(chunk.models.diarization).toBe('nvidia/diar_sortformer_4spk-v1')
    expect(chunk.speakers_detected.length).toBeGreaterThan(0)
  })
})
