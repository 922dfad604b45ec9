import { describe, expect, it } from 'vitest'
import { wavVerdict } from './tts.ts'

/** A PCM WAV of `frames` silent samples; `streamed` writes the placeholder sizes a streamed WAV has. */
function wav(frames: number, { rate = 24_000, channels = 1, streamed = false } = {}): Buffer {
  const data = frames * channels * 2
  const header = Buffer.alloc(44)
  header.write('RIFF', 0, 'latin1')
  header.writeUInt32LE(streamed ? 0xffffffff : 36 + data, 4)
  header.write('WAVE', 8, 'latin1')
  header.write('fmt ', 12, 'latin1')
  header.writeUInt32LE(16, 16)
  header.writeUInt16LE(1, 20)
  header.writeUInt16LE(channels, 22)
  header.writeUInt32LE(rate, 24)
  header.writeUInt32LE(rate * channels * 2, 28)
  header.writeUInt16LE(channels * 2, 32)
  header.writeUInt16LE(16, 34)
  header.write('data', 36, 'latin1')
  header.writeUInt32LE(streamed ? 0xffffffff : data, 40)
  return Buffer.concat([header, Buffer.alloc(data)])
}

describe('TTS verdict', () => {
  it('reads the length of a WAV, streamed or not', () => {
    expect(wavVerdict(wav(48_000))).toBe('2.0 s of 24 kHz mono WAV')
    expect(wavVerdict(wav(36_000, { streamed: true }))).toBe('1.5 s of 24 kHz mono WAV')
    expect(wavVerdict(wav(22_050, { rate: 44_100, channels: 2 }))).toBe('0.5 s of 44.1 kHz 2-channel WAV')
  })

  it('fails an empty answer, another format, a header without sound or a broken header', () => {
    expect(() => wavVerdict(Buffer.alloc(0))).toThrow('the speech answer is empty')
    expect(() =>
      wavVerdict(Buffer.from('ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000', 'latin1')),
    ).toThrow('the speech answer is not a WAV file (it starts with 4944330400000000)')
    expect(() => wavVerdict(wav(0))).toThrow('the WAV file holds only 0.00 s of sound')
    const noRate = wav(24_000)
    noRate.writeUInt32LE(0, 24)
    expect(() => wavVerdict(noRate)).toThrow('the WAV header is invalid (1 channels, 0 Hz, 16 bits)')
    expect(() => wavVerdict(wav(24_000).subarray(0, 20))).toThrow('the WAV header has no format chunk')
  })
})
