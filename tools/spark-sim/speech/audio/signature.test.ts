import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Fixture, makeSpeech, makeTempDir } from '../test-audio.ts'
import { analyzeFile } from './decode.ts'
import { bitErrorRate, type Codes, frameCodes } from './signature.ts'
import { runToolOk } from './tools.ts'

let dir: string
let line: Fixture
let other: Fixture
let codes: Codes

const codesOf = async (path: string) => {
  const frames = await analyzeFile(path, { pitch: false })
  return frameCodes(frames, 0, frames.count - 1)
}

/** The lowest bit error rate of `query` against the line's codes over every alignment. */
function bestBer(query: Codes): number {
  let best = 1
  for (let offset = -codes.code.length; offset < query.code.length; offset++) {
    const r = bitErrorRate(query, codes, offset)
    if (r.frames >= 20) best = Math.min(best, r.ber)
  }
  return best
}

beforeAll(async () => {
  dir = await makeTempDir('signature')
  line = await makeSpeech(dir, 'line', [
    { voice: 'en-us', text: 'The quick brown fox jumps over the lazy dog near the river bank today' },
  ])
  other = await makeSpeech(dir, 'other', [
    { voice: 'en-us', text: 'We moved the planning meeting to Tuesday because the budget is not ready yet' },
  ])
  codes = await codesOf(line.path)
})

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('frame codes', () => {
  it('stay close under gain, a sub-frame delay, 8 kHz, MP3 and a second voice 18 dB down', async () => {
    const variant = async (name: string, tool: string, args: string[]) => {
      const out = join(dir, name)
      await runToolOk(
        tool,
        args.map((a) => (a === 'OUT' ? out : a)),
      )
      return bestBer(await codesOf(out))
    }
    expect(await variant('quiet.wav', 'sox', [line.path, 'OUT', 'vol', '-18', 'dB'])).toBeLessThan(0.05)
    expect(await variant('late.wav', 'sox', [line.path, 'OUT', 'pad', '0.007', '0'])).toBeLessThan(0.15)
    expect(await variant('phone.wav', 'sox', [line.path, '-r', '8000', 'OUT'])).toBeLessThan(0.05)
    const mp3 = ['-y', '-loglevel', 'error', '-i', line.path, '-b:a', '32k', 'OUT']
    expect(await variant('line.mp3', 'ffmpeg', mp3)).toBeLessThan(0.15)
    const mixed = ['-m', line.path, '-v', '0.126', other.path, 'OUT']
    expect(await variant('mixed.wav', 'sox', mixed)).toBeLessThan(0.15)
  })

  it('differ for different speech in the same voice, at every alignment', async () => {
    expect(bestBer(await codesOf(other.path))).toBeGreaterThan(0.3)
  })
})
