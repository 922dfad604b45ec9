import { describe, expect, it } from 'vitest'
import { estimateBleed } from './bleed.ts'
import { energyEnvelope } from './envelope.ts'
import { type FrameLabel, type Gate, gateMic, gateSpans, labelCounts } from './gate.ts'
import { callEnvelopes, syntheticCall } from './testing.ts'

/** Share of the sounding (non-silent) frames in [start, end) that carry `label`. */
function share(gate: Gate, start: number, end: number, label: FrameLabel): number {
  const c = labelCounts(gate, start, end)
  return c[label] / (c.self + c.double_talk + c.bleed)
}

describe('gateMic on a synthetic call', () => {
  const call = syntheticCall({ delayS: 0.06, gainDb: -18 })
  const mic = energyEnvelope(call.mic)
  const system = energyEnvelope(call.system)
  const bleed = estimateBleed(mic, system)
  const gate = gateMic(mic, system, bleed)

  it('calls the far side alone bleed, the user alone self, and both at once double talk', () => {
    expect(share(gate, 1.1, 6, 'bleed')).toBeGreaterThan(0.95)
    expect(share(gate, 6.6, 9.5, 'self')).toBeGreaterThan(0.95)
    // 15–16 s: the user starts while the far side is still talking.
    expect(share(gate, 15, 16, 'double_talk')).toBeGreaterThan(0.5)
    expect(share(gate, 15, 16, 'self')).toBeLessThan(0.2)
    expect(labelCounts(gate, 0, 0.9).silence).toBe(90)
  })

  it('gives the user’s own speech as spans, joined across short gaps', () => {
    const spans = gateSpans(gate, ['self', 'double_talk'])
    expect(spans).toHaveLength(call.selfTurns.length)
    spans.forEach((s, i) => {
      expect(Math.abs(s.start - (call.selfTurns[i]?.start ?? 0))).toBeLessThan(0.05)
      expect(Math.abs(s.end - (call.selfTurns[i]?.end ?? 0))).toBeLessThan(0.2)
    })
  })

  it('trusts the client’s VAD as the user even where the energy says bleed', () => {
    // A margin nothing can clear makes everything on the mic look like bleed…
    const fooled = gateMic(mic, system, bleed, { marginDb: 200 })
    expect(share(fooled, 6.6, 9.5, 'bleed')).toBe(1)
    // …but the VAD's spans are the user's.
    const trusted = gateMic(mic, system, bleed, { marginDb: 200, selfVad: call.selfTurns })
    expect(share(trusted, 6.6, 9.5, 'self')).toBe(1)
    expect(share(trusted, 15, 16, 'double_talk')).toBe(1)
  })
})

describe('gateMic on the stereo call', () => {
  it('finds the double-talk region and calls the far-side-only lines bleed', async () => {
    const { call, mic, system } = await callEnvelopes()
    const gate = gateMic(mic, system, estimateBleed(mic, system))
    const [dt] = call.doubleTalk
    if (!dt) throw new Error('the fixture has a double-talk region')
    expect(share(gate, dt.start, dt.end, 'double_talk')).toBeGreaterThan(0.5)
    expect(share(gate, dt.start, dt.end, 'self')).toBeLessThan(0.1)
    const alone = call.lines.filter((l) => !call.doubleTalk.some((d) => d.start < l.end && d.end > l.start))
    const farOnly = alone.filter((l) => l.channel === 1)
    const nearOnly = alone.filter((l) => l.channel === 0)
    expect([farOnly.length, nearOnly.length]).toEqual([3, 3])
    for (const line of farOnly)
      expect(share(gate, line.start, line.end + call.bleed.delayS, 'bleed')).toBeGreaterThan(0.97)
    for (const line of nearOnly) expect(share(gate, line.start, line.end, 'self')).toBeGreaterThan(0.97)
  })
})
