import { Buffer } from 'node:buffer'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { analyzeFile } from './audio/decode.ts'
import { runToolOk } from './audio/tools.ts'
import type { EmulatorHandle } from './emulator-server.ts'
import { startKokoro } from './kokoro.ts'
import { makeTempDir } from './test-audio.ts'

let kokoro: EmulatorHandle
let dir: string

const speech = (body: Record<string, unknown>) =>
  fetch(`${kokoro.url}/v1/audio/speech`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

/** Parses the canonical 44-byte PCM WAV header and returns format and duration. */
function wavInfo(bytes: Buffer) {
  expect(bytes.toString('ascii', 0, 4)).toBe('RIFF')
  expect(bytes.toString('ascii', 8, 12)).toBe('WAVE')
  expect(bytes.toString('ascii', 12, 16)).toBe('fmt ')
  const dataAt = bytes.indexOf('data', 12, 'ascii')
  expect(dataAt).toBeGreaterThan(0)
  const dataBytes = bytes.readUInt32LE(dataAt + 4)
  expect(dataBytes).toBe(bytes.length - dataAt - 8)
  return {
    format: bytes.readUInt16LE(20),
    channels: bytes.readUInt16LE(22),
    sampleRate: bytes.readUInt32LE(24),
    bits: bytes.readUInt16LE(34),
    duration: dataBytes / (bytes.readUInt32LE(28) || 1),
  }
}

async function meanPitch(bytes: Buffer, name: string) {
  const path = join(dir, name)
  await writeFile(path, bytes)
  const frames = await analyzeFile(path)
  const voiced = [...frames.f0].filter((f) => f > 0)
  return voiced.reduce((a, b) => a + b, 0) / voiced.length
}

beforeAll(async () => {
  dir = await makeTempDir('kokoro-test')
  kokoro = await startKokoro({ host: '127.0.0.1', port: 0 })
})

afterAll(async () => {
  await kokoro?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('kokoro emulator', () => {
  it('lists voices in both Kokoro shapes, models and health', async () => {
    const current = (await (await fetch(`${kokoro.url}/v1/audio/voices`)).json()) as {
      voices: Array<{ id: string; name: string }>
    }
    const ids = current.voices.map((v) => v.id)
    for (const v of ['af_heart', 'af_bella', 'am_adam', 'bf_emma', 'bm_george']) expect(ids).toContain(v)
    const older = (await (await fetch(`${kokoro.url}/v1/audio/voices?legacy=true`)).json()) as {
      voices: string[]
    }
    expect(older.voices).toEqual(ids)
    const models = (await (await fetch(`${kokoro.url}/v1/models`)).json()) as { data: Array<{ id: string }> }
    expect(models.data.map((m) => m.id)).toContain('kokoro')
    expect(await (await fetch(`${kokoro.url}/health`)).json()).toEqual({ status: 'healthy' })
  })

  it('returns a 24 kHz mono 16-bit WAV whose duration grows with the input', async () => {
    const short = await speech({
      input: 'Hello there.',
      voice: 'af_heart',
      response_format: 'wav',
      stream: false,
    })
    expect(short.status).toBe(200)
    expect(short.headers.get('content-type')).toBe('audio/wav')
    const shortBytes = Buffer.from(await short.arrayBuffer())
    expect(Number(short.headers.get('content-length'))).toBe(shortBytes.length)
    const long = await speech({
      input: 'Hello there. This sentence is a good deal longer, so the audio must last longer too.',
      voice: 'af_heart',
      response_format: 'wav',
      stream: false,
    })
    const a = wavInfo(shortBytes)
    const b = wavInfo(Buffer.from(await long.arrayBuffer()))
    expect(a).toMatchObject({ format: 1, channels: 1, sampleRate: 24000, bits: 16 })
    expect(a.duration).toBeGreaterThan(0.3)
    expect(b.duration).toBeGreaterThan(a.duration * 2)
  })

  it('speaks with audibly different voices (female voices pitch higher) and accepts blends', async () => {
    const say = async (voice: string) => {
      const res = await speech({
        input: 'The meeting starts at nine tomorrow morning.',
        voice,
        response_format: 'wav',
        stream: false,
      })
      expect(res.status).toBe(200)
      return Buffer.from(await res.arrayBuffer())
    }
    const [female, male, blend, weighted] = await Promise.all([
      say('af_bella'),
      say('am_adam'),
      say('af_bella+af_heart'),
      say('af_bella(2)+am_adam(1)'),
    ])
    const [fp, mp] = await Promise.all([meanPitch(female, 'f.wav'), meanPitch(male, 'm.wav')])
    expect(fp).toBeGreaterThan(mp * 1.3)
    expect(blend.equals(female)).toBe(false)
    expect(weighted.length).toBeGreaterThan(1000)
  })

  it('encodes mp3 that ffprobe decodes at 24 kHz mono', async () => {
    const res = await speech({
      input: 'Testing the mp3 output.',
      voice: 'bm_george',
      response_format: 'mp3',
      stream: false,
    })
    expect(res.headers.get('content-type')).toBe('audio/mpeg')
    const path = join(dir, 'out.mp3')
    await writeFile(path, Buffer.from(await res.arrayBuffer()))
    const probe = JSON.parse(
      (
        await runToolOk('ffprobe', [
          '-v',
          'error',
          '-show_entries',
          'stream=codec_name,sample_rate,channels:format=duration',
          '-of',
          'json',
          path,
        ])
      ).toString(),
    )
    expect(probe.streams[0]).toMatchObject({ codec_name: 'mp3', sample_rate: '24000', channels: 1 })
    expect(Number(probe.format.duration)).toBeGreaterThan(0.5)
  })

  it('produces opus, flac and raw pcm', async () => {
    for (const [format, codec] of [
      ['opus', 'opus'],
      ['flac', 'flac'],
    ] as const) {
      const res = await speech({
        input: 'One two three.',
        voice: 'af_sky',
        response_format: format,
        stream: false,
      })
      const path = join(dir, `out.${format}`)
      await writeFile(path, Buffer.from(await res.arrayBuffer()))
      const out = (
        await runToolOk('ffprobe', [
          '-v',
          'error',
          '-show_entries',
          'stream=codec_name',
          '-of',
          'csv=p=0',
          path,
        ])
      ).toString()
      expect(out.trim()).toBe(codec)
    }
    const pcm = Buffer.from(
      await (await speech({ input: 'One two three.', response_format: 'pcm', stream: false })).arrayBuffer(),
    )
    expect(pcm.length % 2).toBe(0)
    expect(pcm.toString('ascii', 0, 4)).not.toBe('RIFF')
    expect(pcm.length / 48000).toBeGreaterThan(0.5)
  })

  it('streams by default: chunked, no length, first bytes long before the end', async () => {
    const text = Array.from(
      { length: 30 },
      (_, i) => `This is sentence number ${i + 1} of a long text to be read aloud.`,
    ).join(' ')
    const started = Date.now()
    const res = await speech({ input: text, voice: 'am_adam', response_format: 'mp3' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-length')).toBeNull()
    expect(res.headers.get('x-accel-buffering')).toBe('no')
    const reader = res.body!.getReader()
    let firstAt = 0
    let chunks = 0
    let bytes = 0
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      if (chunks === 0) firstAt = Date.now() - started
      chunks++
      bytes += value.byteLength
    }
    const endAt = Date.now() - started
    expect(chunks).toBeGreaterThan(3)
    expect(bytes).toBeGreaterThan(100_000)
    expect(firstAt).toBeLessThan(endAt / 2)
  })

  it('answers bad requests the way Kokoro does', async () => {
    const unknown = await speech({ input: 'Hi', voice: 'zz_nobody' })
    expect(unknown.status).toBe(400)
    const body = (await unknown.json()) as { detail: { error: string; message: string } }
    expect(body.detail.error).toBe('validation_error')
    expect(body.detail.message).toMatch(/zz_nobody.*not found.*af_heart/)
    expect((await speech({ input: '   ', voice: 'af_heart' })).status).toBe(400)
    expect((await speech({ input: 'Hi', voice: 'af_bella(0)+af_heart' })).status).toBe(400)
    expect((await speech({ input: 'Hi', voice: 'af_bella++af_heart' })).status).toBe(400)
    expect((await speech({ input: 'Hi', model: 'gpt-9' })).status).toBe(400)
    const invalid = await speech({ input: 'Hi', speed: 9, response_format: 'mkv' })
    expect(invalid.status).toBe(422)
    const detail = ((await invalid.json()) as { detail: Array<{ loc: string[] }> }).detail
    expect(detail.map((d) => d.loc[1]).sort()).toEqual(['response_format', 'speed'])
    const malformed = await fetch(`${kokoro.url}/v1/audio/speech`, { method: 'POST', body: '{"input":' })
    expect(malformed.status).toBe(422)
    expect((await speech({ input: 'Hi', voice: 'alloy', stream: false })).status).toBe(200)
  })
})
