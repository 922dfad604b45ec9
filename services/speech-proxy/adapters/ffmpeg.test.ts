import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../../shared/errors.ts'
import {
  dialogue,
  FORMATS,
  type FormatName,
  formatVariant,
  identicalStereo,
  meeting,
  nonAudio,
  silenceOnly,
  stereoCall,
} from '../../../tests/fixtures/audio/fixtures.ts'
import { run } from '../../../tests/fixtures/audio/run.ts'
import { channelsIdentical, cut, probe, readPcm16k, silences, toMono16k } from './ffmpeg.ts'
import { wavLayout } from './ffmpeg-pcm.ts'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ffmpeg-test-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const live = () => new AbortController().signal

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(AppError)
  return err as AppError
}

describe('probe', () => {
  it.each(['wav', ...Object.keys(FORMATS)])('reads %s: one channel, the dialogue length', async (format) => {
    const fixture = format === 'wav' ? await dialogue() : await formatVariant(format as FormatName)
    const p = await probe(fixture.path, live())
    expect(p.channels).toBe(1)
    expect(p.durationS).toBeGreaterThan(fixture.duration - 0.05)
    expect(p.durationS).toBeLessThan(fixture.duration + 0.15)
    expect(p.codec).toMatch(
      { wav: /pcm_s16le/, flac: /flac/, mp3: /mp3/, m4a: /aac/, ogg: /opus/, webm: /opus/ }[format] as RegExp,
    )
  })

  it('measures a streamed webm that declares no duration', async () => {
    const streamed = join(dir, 'streamed.webm')
    const source = (await dialogue()).path
    // Written to a pipe, the webm muxer cannot go back and fill in the duration (as in a browser recording).
    const bytes = await run('ffmpeg', [
      '-nostdin',
      '-loglevel',
      'error',
      '-i',
      source,
      '-c:a',
      'libopus',
      '-f',
      'webm',
      'pipe:1',
    ])
    await writeFile(streamed, bytes)
    const declared = await run('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'format=duration',
      '-of',
      'csv=p=0',
      streamed,
    ])
    expect(declared.toString().trim()).toBe('N/A')
    expect((await probe(streamed, live())).durationS).toBeCloseTo((await dialogue()).duration, 1)
  })

  it.each([
    ['text', /no audio stream, only video \(ansi\)/],
    ['png', /no audio stream, only video \(png\)/],
  ] as const)('answers 415 with what ffprobe said for a %s file', async (kind, said) => {
    const path = await nonAudio(kind)
    const err = await refusal(probe(path, live()))
    expect(err.status).toBe(415)
    expect(err.code).toBe('unsupported_media_type')
    expect(err.message).toMatch(said)
  })

  it('answers 415 for bytes ffprobe cannot open, without naming our temp path', async () => {
    const path = join(dir, 'garbage.bin')
    await writeFile(path, Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 251)))
    const err = await refusal(probe(path, live()))
    expect(err.status).toBe(415)
    expect(err.message).not.toContain(path)
  })

  it('takes silence-only audio: a duration, and one silence over all of it', async () => {
    const quiet = await silenceOnly()
    expect((await probe(quiet.path, live())).durationS).toBeCloseTo(15, 1)
    const found = await silences(quiet.path, live())
    expect(found).toHaveLength(1)
    expect(found[0]?.start).toBe(0)
    expect(found[0]?.end).toBeCloseTo(15, 1)
  })
})

describe('toMono16k, silences, cut, readPcm16k', () => {
  it('normalises any format to 16 kHz mono s16 of the same length', async () => {
    const mp3 = await formatVariant('mp3')
    const out = join(dir, 'mp3.wav')
    await toMono16k(mp3.path, out, live())
    const layout = await wavLayout(out)
    expect(layout).toMatchObject({ sampleRate: 16_000, channels: 1 })
    expect(Math.abs(layout.frames / 16_000 - mp3.duration)).toBeLessThan(0.06)
  })

  it('takes one side of a stereo call: the mic has Ada loud, the system side has only her bleed-free silence', async () => {
    const call = await stereoCall()
    const [mic, system] = [join(dir, 'mic.wav'), join(dir, 'sys.wav')]
    await toMono16k(call.path, mic, live(), { channel: 0 })
    await toMono16k(call.path, system, live(), { channel: 1 })
    const ada = call.lines.find((l) => l.speaker === 'Ada' && l.start > 20)
    if (!ada) throw new Error('no near line')
    const rms = (s: Float32Array) => Math.sqrt(s.reduce((a, v) => a + v * v, 0) / s.length)
    const window = { startS: ada.start, durS: ada.end - ada.start }
    expect(rms(await readPcm16k(mic, window))).toBeGreaterThan(0.05)
    expect(rms(await readPcm16k(system, window))).toBe(0)
  })

  it('finds the pauses between the lines of the dialogue; longer ones never fall inside a line', async () => {
    const d = await dialogue()
    const all = await silences(d.path, live(), { minS: 0.3 })
    const gaps = d.lines.slice(1).map((next, i) => ({ start: d.lines[i]?.end as number, end: next.start }))
    for (const gap of gaps)
      expect(all.some((s) => Math.abs(s.start - gap.start) < 0.05 && Math.abs(s.end - gap.end) < 0.05)).toBe(
        true,
      )
    // espeak pauses about 0.35 s at a comma; past that, every silence is between lines.
    const long = await silences(d.path, live(), { minS: 0.45 })
    for (const s of long)
      expect(d.lines.every((l) => s.end <= l.start + 0.05 || s.start >= l.end - 0.05)).toBe(true)
    expect(long.length).toBeGreaterThanOrEqual(gaps.filter((g) => g.end - g.start >= 0.5).length)
  })

  it('cuts sample-exactly', async () => {
    const d = await dialogue()
    const out = join(dir, 'cut.wav')
    await cut(d.path, out, 1.5, 2, live())
    const piece = await readPcm16k(out)
    expect(piece.length).toBe(32_000)
    expect(piece).toEqual(await readPcm16k(d.path, { startS: 1.5, durS: 2 }))
  })

  it('refuses one read longer than the cap and reads windows of a long file', async () => {
    const m = await meeting()
    const window = await readPcm16k(m.path, { startS: 600, durS: 5 })
    expect(window.length).toBe(80_000)
    const long = join(dir, 'long.wav')
    await run('sox', ['-r', '16000', '-c', '1', '-n', '-D', '-b', '16', long, 'trim', '0', String(31 * 60)])
    await expect(readPcm16k(long)).rejects.toThrow(/at most 1800 s/)
    expect(await readPcm16k(long, { startS: 30 * 60 })).toHaveLength(60 * 16_000)
  })
})

describe('channelsIdentical', () => {
  it('is true for one clip on both channels, also after a lossy codec', async () => {
    const same = await identicalStereo()
    expect(await channelsIdentical(same.path, live())).toBe(true)
    for (const codec of [
      ['-c:a', 'libmp3lame', '-b:a', '96k', 'same.mp3'],
      ['-c:a', 'libopus', 'same.ogg'],
    ]) {
      const out = join(dir, codec.at(-1) as string)
      await run('ffmpeg', [
        '-nostdin',
        '-loglevel',
        'error',
        '-y',
        '-i',
        same.path,
        ...codec.slice(0, -1),
        out,
      ])
      expect(await channelsIdentical(out, live())).toBe(true)
    }
  })

  it('is false for a real two-sided call and for mono', async () => {
    expect(await channelsIdentical((await stereoCall()).path, live())).toBe(false)
    expect(await channelsIdentical((await dialogue()).path, live())).toBe(false)
  })
})

describe('deadlines and aborts', () => {
  it('kills a decode when the client goes away, and one that runs past its deadline', async () => {
    const m = await meeting()
    const client = new AbortController()
    const decoding = refusal(toMono16k(m.path, join(dir, 'aborted.wav'), client.signal, { channel: 0 }))
    client.abort()
    expect((await decoding).status).toBe(499)
    const late = await refusal(silences(m.path, live(), { timeoutMs: 1 }))
    expect(late.status).toBe(504)
    expect(late.message).toContain('1 ms')
  })
})
