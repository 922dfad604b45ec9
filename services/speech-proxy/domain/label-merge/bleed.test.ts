import { describe, expect, it } from 'vitest'
import { estimateBleed, lowModeMedian } from './bleed.ts'
import { energyEnvelope } from './envelope.ts'
import { callEnvelopes, syntheticCall } from './testing.ts'

const HOP = 0.01

describe('estimateBleed on synthetic signals', () => {
  it.each([
    { delayS: 0.073, gainDb: -15 },
    { delayS: 0.21, gainDb: -24 },
    { delayS: 0.004, gainDb: -10 },
  ])('recovers a delay of $delayS s and a coupling of $gainDb dB', ({ delayS, gainDb }) => {
    const call = syntheticCall({ delayS, gainDb })
    const est = estimateBleed(energyEnvelope(call.mic), energyEnvelope(call.system))
    expect(Math.abs(est.delayS - delayS)).toBeLessThanOrEqual(HOP)
    expect(est.couplingDb).not.toBeNull()
    expect(Math.abs((est.couplingDb as number) - gainDb)).toBeLessThanOrEqual(1)
  })

  it('measures the coupling only where the user is silent when the VAD says so', () => {
    const call = syntheticCall({ delayS: 0.05, gainDb: -20, seed: 7 })
    const mic = energyEnvelope(call.mic)
    const system = energyEnvelope(call.system)
    const withVad = estimateBleed(mic, system, { selfVad: call.selfTurns })
    const without = estimateBleed(mic, system)
    expect(Math.abs((withVad.couplingDb as number) + 20)).toBeLessThanOrEqual(1)
    // Leaving the user's frames out means fewer frames measured.
    expect(withVad.frames).toBeLessThan(without.frames)
  })

  it('says the coupling cannot be measured when the far side never speaks', () => {
    const call = syntheticCall({ delayS: 0.05, gainDb: -20 })
    const est = estimateBleed(energyEnvelope(call.mic), energyEnvelope(new Float32Array(call.system.length)))
    expect(est.couplingDb).toBeNull()
  })
})

describe('lowModeMedian', () => {
  it('takes the tight low cluster (bleed), not the spread high one (the user)', () => {
    const bleed = Array.from({ length: 300 }, (_, i) => -18 + ((i % 7) - 3) * 0.3)
    const self = Array.from({ length: 500 }, (_, i) => 5 + (i % 40))
    expect(lowModeMedian([...self, ...bleed])).toBeCloseTo(-18, 0)
  })
})

describe('estimateBleed on the stereo call', () => {
  it('finds the −18 dB / 40 ms bleed of the fixture', async () => {
    const { mic, system, call } = await callEnvelopes()
    const est = estimateBleed(mic, system)
    expect(Math.abs(est.delayS - call.bleed.delayS)).toBeLessThanOrEqual(HOP)
    expect(Math.abs((est.couplingDb as number) - call.bleed.gainDb)).toBeLessThanOrEqual(1)
    expect(est.correlation).toBeGreaterThan(0.2)
  })
})
