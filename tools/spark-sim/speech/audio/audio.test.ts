import { Buffer } from 'node:buffer'
import { readFile, rm } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTempDir } from '../test-audio.ts'
import { estimatePitch, FrameAnalyzer, SAMPLE_RATE, WIN } from './features.ts'
import { simulatedWords } from './lexicon.ts'
import { MultipartError, readMultipart } from './multipart.ts'

let dir: string
beforeAll(async () => {
  dir = await makeTempDir('audio-unit')
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** A voiced-like signal: a 150 Hz pulse train with harmonics, 1 s. */
function voiced(hz: number, seconds: number): Int16Array {
  const out = new Int16Array(Math.round(seconds * SAMPLE_RATE))
  for (let i = 0; i < out.length; i++) {
    const t = i / SAMPLE_RATE
    let v = 0
    for (let h = 1; h <= 6; h++) v += Math.sin(2 * Math.PI * hz * h * t) / h
    out[i] = Math.round(v * 6000)
  }
  return out
}

/** Splits a byte array into uneven chunks, including odd sizes, to exercise carry-over paths. */
function* chunks(bytes: Uint8Array, sizes = [1, 7, 333, 4096, 3]) {
  let at = 0
  for (let k = 0; at < bytes.length; k++) {
    const n = sizes[k % sizes.length]!
    yield bytes.subarray(at, at + n)
    at += n
  }
}

const streamOf = (parts: Iterable<Uint8Array>) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (const p of parts) c.enqueue(p)
      c.close()
    },
  })

describe('frame analysis', () => {
  it('estimates pitch of a harmonic signal', () => {
    for (const hz of [90, 150, 230]) {
      const pcm = voiced(hz, WIN / SAMPLE_RATE)
      expect(estimatePitch(Float64Array.from(pcm, (v) => v / 32768))).toBeCloseTo(hz, -1)
    }
  })

  it('gives the same frames whatever the chunking of the byte stream', () => {
    const pcm = voiced(140, 1)
    const bytes = new Uint8Array(pcm.buffer)
    const whole = new FrameAnalyzer()
    whole.pushBytes(bytes)
    const pieces = new FrameAnalyzer()
    for (const c of chunks(bytes)) pieces.pushBytes(c)
    const a = whole.finish()
    const b = pieces.finish()
    expect(b.count).toBe(a.count)
    expect(b.durationS).toBe(1)
    expect([...b.hash]).toEqual([...a.hash])
    expect([...b.f0]).toEqual([...a.f0])
  })
})

describe('simulated words', () => {
  it('follows the duration (~2.5 words/s), stays inside the segment and is seeded', () => {
    const words = simulatedWords('0123abcd', 10, 14)
    expect(words).toHaveLength(10)
    expect(words[0]!.start).toBeGreaterThanOrEqual(10)
    expect(words[words.length - 1]!.end).toBeLessThanOrEqual(14)
    expect(simulatedWords('0123abcd', 10, 14)).toEqual(words)
    expect(simulatedWords('fedc9876', 10, 14)).not.toEqual(words)
  })
})

describe('streaming multipart reader', () => {
  const boundary = '----spark-sim-boundary'
  const body = (fileBytes: Buffer) =>
    Buffer.concat([
      Buffer.from(
        `preamble\r\n--${boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper-1\r\n`,
      ),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="../../etc/passwd"\r\n`,
      ),
      Buffer.from('Content-Type: audio/wav\r\n\r\n'),
      fileBytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ])

  it('writes file parts to disk byte-exact across any chunking, and keeps fields', async () => {
    // Content that contains CRLF and dashes, so near-boundary bytes must not be mistaken for one.
    const file = Buffer.concat([
      Buffer.from(`\r\n--${boundary.slice(0, 10)}`),
      Buffer.alloc(70_000, 7),
      Buffer.from('\r\n--'),
    ])
    const result = await readMultipart(
      streamOf(chunks(body(file), [5, 17, 1, 999])),
      `multipart/form-data; boundary=${boundary}`,
      dir,
      10_000_000,
    )
    expect(result.fields.get('model')).toEqual(['whisper-1'])
    expect(result.files).toHaveLength(1)
    const f = result.files[0]!
    expect(f).toMatchObject({
      field: 'file',
      filename: '../../etc/passwd',
      contentType: 'audio/wav',
      size: file.length,
    })
    expect(f.path.startsWith(dir)).toBe(true)
    expect((await readFile(f.path)).equals(file)).toBe(true)
  })

  it('rejects oversize and truncated bodies', async () => {
    const type = `multipart/form-data; boundary=${boundary}`
    await expect(readMultipart(streamOf([body(Buffer.alloc(5000))]), type, dir, 1000)).rejects.toMatchObject({
      status: 413,
    })
    const truncated = body(Buffer.alloc(100)).subarray(0, 150)
    await expect(readMultipart(streamOf([truncated]), type, dir, 1_000_000)).rejects.toBeInstanceOf(
      MultipartError,
    )
    await expect(readMultipart(streamOf([]), 'application/json', dir, 1000)).rejects.toMatchObject({
      status: 400,
    })
  })
})
