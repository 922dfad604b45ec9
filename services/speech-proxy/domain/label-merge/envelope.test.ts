import { describe, expect, it } from 'vitest'
import { activity, createEnvelopeBuilder, energyEnvelope, percentile, SILENCE_DB } from './envelope.ts'

const sine = (seconds: number, amplitude: number, hz = 500) =>
  Float32Array.from(
    { length: Math.round(seconds * 16_000) },
    (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / 16_000),
  )

describe('energyEnvelope', () => {
  it('gives one 20 ms frame every 10 ms, in dBFS (a 500 Hz sine fills each frame with whole periods)', () => {
    const env = energyEnvelope(sine(1, 0.5))
    expect(env.hopS).toBe(0.01)
    // (16000 − 320) / 160 + 1 frames fit in one second.
    expect(env.db.length).toBe(99)
    // A sine's power is A²/2: 0.5 → −9.03 dB.
    for (const v of env.db) expect(v).toBeCloseTo(-9.03, 1)
  })

  it('reads digital silence as SILENCE_DB, and a level change in the right frames', () => {
    const pcm = new Float32Array(16_000)
    pcm.set(sine(0.5, 0.1), 8_000)
    const env = energyEnvelope(pcm)
    expect(env.db[10]).toBe(SILENCE_DB)
    expect(env.db[60]).toBeCloseTo(-23.01, 1)
  })

  it('is the same whether the samples come at once or in odd pieces', () => {
    const pcm = sine(0.73, 0.3, 97)
    for (let i = 0; i < pcm.length; i += 3) pcm[i] = (pcm[i] as number) * 0.2
    const builder = createEnvelopeBuilder()
    for (let at = 0; at < pcm.length; at += 1_013) builder.push(pcm.subarray(at, at + 1_013))
    expect(Array.from(builder.finish().db)).toEqual(Array.from(energyEnvelope(pcm).db))
  })

  it('still gives one value for a channel shorter than a frame, none for nothing', () => {
    expect(energyEnvelope(sine(0.01, 0.5)).db.length).toBe(1)
    expect(energyEnvelope(new Float32Array(0)).db.length).toBe(0)
  })
})

describe('activity', () => {
  it('puts the threshold above the floor and within reach of the loudest speech', () => {
    const pcm = new Float32Array(32_000)
    for (let i = 0; i < pcm.length; i++) pcm[i] = 0.0001 * Math.sin(i)
    pcm.set(sine(1, 0.5), 16_000)
    const { floorDb, thresholdDb } = activity(energyEnvelope(pcm))
    expect(floorDb).toBeCloseTo(-83, 0)
    expect(thresholdDb).toBeGreaterThan(floorDb + 9)
    expect(thresholdDb).toBeLessThan(-20)
  })
})

describe('percentile', () => {
  it('agrees with sorting to within its 0.05 dB step', () => {
    const values = Float32Array.from({ length: 5_001 }, (_, i) => -95 + ((i * 7919) % 5_001) * 0.0173)
    const sorted = Array.from(values).sort((a, b) => a - b)
    for (const share of [0, 0.05, 0.5, 0.99, 1])
      expect(
        Math.abs(percentile(values, share) - (sorted[Math.round(share * 5_000)] as number)),
      ).toBeLessThanOrEqual(0.026)
  })

  it('reads values under SILENCE_DB as silence, and nothing as silence', () => {
    expect(percentile([-140, -120, -30], 0.5)).toBe(SILENCE_DB)
    expect(percentile([], 0.5)).toBe(SILENCE_DB)
  })
})
