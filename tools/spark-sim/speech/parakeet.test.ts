import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cosine, FINGERPRINT_DIM } from './audio/speakers.ts'
import { runToolOk } from './audio/tools.ts'
import { type ParakeetHandle, startParakeet } from './parakeet.ts'
import { type Fixture, makeSpeech, makeTempDir } from './test-audio.ts'

const MALE = 'en-us'
const FEMALE = 'en-us+f3'
const LINE_1 = 'The quick brown fox jumps over the lazy dog near the river bank today'
const LINE_2 = 'Please send the quarterly report to the finance team before Friday afternoon'
const LINE_3 = 'We moved the planning meeting to Tuesday because the budget is not ready yet'

let dir: string
let uploads: string
let parakeet: ParakeetHandle
let dialogue: Fixture
let monologue: Fixture
let chunkA1: Fixture
let chunkA3: Fixture
let chunkB2: Fixture
let crowd: Fixture

async function post(path: string, file: string, fields: Record<string, string | string[]> = {}) {
  const form = new FormData()
  form.set('file', new Blob([await readFile(file)], { type: 'audio/wav' }), 'audio.wav')
  for (const [k, v] of Object.entries(fields)) for (const item of [v].flat()) form.append(k, item)
  return fetch(`${parakeet.url}${path}`, { method: 'POST', body: form })
}

beforeAll(async () => {
  dir = await makeTempDir('parakeet-test')
  uploads = join(dir, 'uploads')
  await mkdir(uploads)
  parakeet = await startParakeet({ host: '127.0.0.1', port: 0, tmpDir: uploads, truthDir: '' })
  ;[dialogue, monologue, chunkA1, chunkA3, chunkB2, crowd] = await Promise.all([
    makeSpeech(dir, 'dialogue', [
      { silence: 0.5 },
      { voice: MALE, text: LINE_1 },
      { silence: 1.2 },
      { voice: FEMALE, text: LINE_2 },
      { silence: 1.2 },
      { voice: MALE, text: LINE_3 },
      { silence: 0.5 },
    ]),
    makeSpeech(dir, 'monologue', [
      { voice: MALE, text: LINE_1 },
      { silence: 1.2 },
      { voice: MALE, text: LINE_3 },
    ]),
    makeSpeech(dir, 'a1', [{ voice: MALE, text: LINE_1 }]),
    makeSpeech(dir, 'a3', [{ voice: MALE, text: LINE_3 }]),
    makeSpeech(dir, 'b2', [{ voice: FEMALE, text: LINE_2 }]),
    // Five clearly different voices (pitch from ~70 Hz to ~300 Hz): more than Sortformer's cap.
    makeSpeech(
      dir,
      'crowd',
      [
        { voice: 'en-us', text: 'First speaker says hello to everyone', pitch: 0 },
        { voice: 'en-us', text: 'Second speaker agrees with the plan', pitch: 60 },
        { voice: 'en-us+f1', text: 'Third speaker asks about the budget', pitch: 50 },
        { voice: 'en-us+f3', text: 'Fourth speaker answers the question', pitch: 80 },
        { voice: 'en-us+f5', text: 'Fifth speaker closes the meeting now', pitch: 99 },
      ].flatMap((p) => [p, { silence: 0.8 }]),
    ),
  ])
})

afterAll(async () => {
  await parakeet?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('parakeet emulator: transcription', () => {
  it('serves health and the Parakeet model list', async () => {
    expect(await (await fetch(`${parakeet.url}/health`)).json()).toEqual({ status: 'ok' })
    const models = (await (await fetch(`${parakeet.url}/v1/models`)).json()) as {
      data: Array<{ id: string }>
    }
    expect(models.data.map((m) => m.id)).toEqual(['nvidia/parakeet-tdt-0.6b-v3'])
  })

  it('finds the spoken parts and times words inside them (verbose_json)', async () => {
    const res = await post('/v1/audio/transcriptions', dialogue.path, {
      response_format: 'verbose_json',
      'timestamp_granularities[]': ['word', 'segment'],
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as {
      duration: number
      text: string
      simulated: boolean
      segments: Array<{ start: number; end: number; text: string }>
      words: Array<{ word: string; start: number; end: number }>
    }
    expect(body.simulated).toBe(true)
    expect(body.duration).toBeCloseTo(dialogue.duration, 1)
    expect(body.segments).toHaveLength(dialogue.spans.length)
    body.segments.forEach((seg, i) => {
      const span = dialogue.spans[i]!
      expect(Math.abs(seg.start - span.start)).toBeLessThanOrEqual(0.3)
      expect(Math.abs(seg.end - span.end)).toBeLessThanOrEqual(0.3)
      expect(seg.text.length).toBeGreaterThan(0)
      // ~2.5 words per second of speech.
      const words = body.words.filter((w) => w.start >= seg.start && w.end <= seg.end)
      expect(words.length).toBeGreaterThanOrEqual(Math.floor((span.end - span.start) * 2))
    })
    const starts = body.words.map((w) => w.start)
    expect(starts).toEqual([...starts].sort((a, b) => a - b))
    expect(body.text.trim().length).toBeGreaterThan(0)
  })

  it('is deterministic for the same audio and differs for different audio', async () => {
    const texts = await Promise.all(
      [dialogue.path, dialogue.path, monologue.path].map(
        async (p) => ((await (await post('/v1/audio/transcriptions', p)).json()) as { text: string }).text,
      ),
    )
    expect(texts[0]).toBe(texts[1])
    expect(texts[0]).not.toBe(texts[2])
  })

  it('renders json, text, srt and vtt', async () => {
    const json = await (await post('/v1/audio/transcriptions', monologue.path)).json()
    expect(Object.keys(json as object)).toEqual(['text'])
    const text = await (
      await post('/v1/audio/transcriptions', monologue.path, { response_format: 'text' })
    ).text()
    expect(text).toBe((json as { text: string }).text)
    const srt = await (
      await post('/v1/audio/transcriptions', monologue.path, { response_format: 'srt' })
    ).text()
    expect(srt).toMatch(/^1\n00:00:00,\d{3} --> 00:00:0\d,\d{3}\n\S/)
    const vtt = await (
      await post('/v1/audio/transcriptions', monologue.path, { response_format: 'vtt' })
    ).text()
    expect(vtt).toMatch(/^WEBVTT\n\n00:00:00\.\d{3} --> /)
  })

  it('rejects undecodable audio, missing files and bad formats, and leaves no temp files', async () => {
    const junk = join(dir, 'junk.wav')
    await writeFile(junk, 'this is not audio at all')
    const bad = await post('/v1/audio/transcriptions', junk)
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { detail: string }).detail).toMatch(/Could not decode audio/)
    const missing = await fetch(`${parakeet.url}/v1/audio/transcriptions`, {
      method: 'POST',
      body: new FormData(),
    })
    expect(missing.status).toBe(422)
    expect(await missing.json()).toMatchObject({ detail: [{ type: 'missing', loc: ['body', 'file'] }] })
    const format = await post('/v1/audio/transcriptions', monologue.path, { response_format: 'mp4' })
    expect(format.status).toBe(400)
    const notMultipart = await fetch(`${parakeet.url}/v1/audio/transcriptions`, {
      method: 'POST',
      body: '{}',
    })
    expect(notMultipart.status).toBe(400)
    expect(await readdir(uploads)).toEqual([])
  })
})

describe('parakeet emulator: no speech', () => {
  it('returns no text and no speakers for silence, a steady tone and white, pink and brown noise', async () => {
    const base = ['-n', '-r', '16000', '-c', '1', '-b', '16']
    const makers: Array<[string, string[]]> = [
      ['silence', ['trim', '0', '2']],
      ['tone', ['synth', '2', 'sine', '440']],
    ]
    // sox draws new noise each run; several files of each colour so a lucky draw cannot pass.
    for (const colour of ['whitenoise', 'pinknoise', 'brownnoise'])
      for (const vol of ['0.1', '0.5']) makers.push([`${colour}-${vol}`, ['synth', '2', colour, 'vol', vol]])
    const files: string[] = []
    for (const [name, effect] of makers) {
      const file = join(dir, `${name}.wav`)
      await runToolOk('sox', [...base, file, ...effect])
      files.push(file)
    }
    for (const file of files) {
      expect(await (await post('/v1/audio/transcriptions', file)).json()).toEqual({ text: '' })
      const d = (await (await post('/v1/audio/diarize-chunk', file)).json()) as {
        segments: unknown[]
        speakers_detected: unknown[]
      }
      expect(d.segments).toEqual([])
      expect(d.speakers_detected).toEqual([])
    }
  })
})

describe('parakeet emulator: diarization', () => {
  it('finds two speakers in a two-voice dialogue, with turns where they spoke', async () => {
    const res = await post('/v1/audio/diarize', dialogue.path)
    expect(res.status).toBe(200)
    const body = (await res.json()) as {
      segments: Array<{ start: number; end: number; speaker: string; confidence: number }>
      speakers_detected: string[]
    }
    // Chunk-local labels in no promised order: only who spoke with whom is fixed.
    expect(body.speakers_detected).toEqual(['Speaker_0', 'Speaker_1'])
    const [a, b, c] = body.segments.map((s) => s.speaker)
    expect(a).toBe(c)
    expect(b).not.toBe(a)
    body.segments.forEach((s, i) => {
      expect(Math.abs(s.start - dialogue.spans[i]!.start)).toBeLessThanOrEqual(0.3)
      expect(s.confidence).toBeGreaterThan(0.5)
      expect(s.confidence).toBeLessThanOrEqual(1)
    })
  })

  it('deals labels in an order seeded by the audio: the same chunk twice alike, chunks unlike', async () => {
    const firstLabel = async (file: string) =>
      (
        (await (await post('/v1/audio/diarize-chunk', file)).json()) as {
          segments: Array<{ speaker: string }>
        }
      ).segments[0]!.speaker
    expect(await firstLabel(dialogue.path)).toBe(await firstLabel(dialogue.path))
    // The first voice heard is not always Speaker_0 (as it would be with arrival order). With two
    // voices each variant's order is a coin toss seeded by its audio: 16 of them all alike is 1 in 32 768.
    const pads = Array.from({ length: 16 }, (_, i) => 0.1 + i * 0.05)
    const variants = await Promise.all(
      pads.map(async (pad, i) => {
        const file = join(dir, `padded-${i}.wav`)
        await runToolOk('sox', [dialogue.path, file, 'pad', String(pad), '0'])
        return firstLabel(file)
      }),
    )
    expect(new Set(variants).size).toBeGreaterThan(1)
    parakeet.setLabelOrder('arrival')
    try {
      expect(await firstLabel(join(dir, 'padded-0.wav'))).toBe('Speaker_0')
    } finally {
      parakeet.setLabelOrder('shuffled')
    }
  })

  it('finds one speaker when one voice speaks twice', async () => {
    const body = (await (await post('/v1/audio/diarize', monologue.path)).json()) as {
      speakers_detected: string[]
    }
    expect(body.speakers_detected).toEqual(['Speaker_0'])
  })

  it('caps at four speakers like Sortformer', async () => {
    const body = (await (await post('/v1/audio/diarize', crowd.path)).json()) as {
      speakers_detected: string[]
    }
    expect(body.speakers_detected).toEqual(['Speaker_0', 'Speaker_1', 'Speaker_2', 'Speaker_3'])
  })

  it('returns the diarize-chunk shape with 192-d fingerprints on request', async () => {
    const viaForm = (await (
      await post('/v1/audio/diarize', monologue.path, { fingerprints: 'true' })
    ).json()) as object
    expect(viaForm).toHaveProperty('fingerprints.Speaker_0')
    const res = await post('/v1/audio/diarize?fingerprints=true', dialogue.path)
    const body = (await res.json()) as Record<string, unknown> & {
      segments: Array<Record<string, unknown>>
      fingerprints: Record<string, number[]>
    }
    expect(Object.keys(body).sort()).toEqual([
      'duration',
      'fingerprints',
      'models',
      'segments',
      'speakers_detected',
    ])
    expect(Object.keys(body.segments[0]!).sort()).toEqual(['confidence', 'end_s', 'speaker', 'start_s'])
    expect(body.models).toEqual({
      diarization: 'nvidia/diar_sortformer_4spk-v1',
      embedding: 'nvidia/speakerverification_en_titanet_large',
    })
    for (const fp of Object.values(body.fingerprints)) {
      expect(fp).toHaveLength(FINGERPRINT_DIM)
      expect(Math.hypot(...fp)).toBeCloseTo(1, 3)
    }
  })

  it('gives the same voice similar fingerprints across chunks and different voices dissimilar ones', async () => {
    const fp = async (f: Fixture) => {
      const body = (await (await post('/v1/audio/diarize-chunk', f.path)).json()) as {
        fingerprints: Record<string, number[]>
      }
      expect(Object.keys(body.fingerprints)).toEqual(['Speaker_0'])
      return body.fingerprints.Speaker_0!
    }
    const [a1, a3, b2, a1Again] = await Promise.all([fp(chunkA1), fp(chunkA3), fp(chunkB2), fp(chunkA1)])
    const same = cosine(a1, a3)
    const different = cosine(a1, b2)
    // TitaNet-like: the same voice in two chunks is close but never identical.
    expect(same).toBeGreaterThan(0.75)
    expect(same).toBeLessThan(0.97)
    expect(different).toBeLessThan(0.5)
    // The noise is seeded by the audio: the same chunk gives the same embedding.
    expect(a1Again).toEqual(a1)
  })
})
