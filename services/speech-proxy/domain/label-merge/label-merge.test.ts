import { describe, expect, it } from 'vitest'
import { mergeDualChannel, mergeMono } from './label-merge.ts'
import { callEnvelopes, wordsOf } from './testing.ts'

describe('mergeDualChannel on the stereo call', async () => {
  const { call, mic, system } = await callEnvelopes()
  const near = call.lines.filter((l) => l.channel === 0)
  const far = call.lines.filter((l) => l.channel === 1)
  const bledIn = far
    .flatMap((l) => wordsOf(l, call.bleed.delayS))
    .filter((w) => !near.some((n) => n.start < w.end && n.end > w.start))
  const input = {
    mic,
    system,
    duration: call.duration,
    selfName: 'Ada',
    micWords: [...near.flatMap((l) => wordsOf(l)), ...bledIn].sort((a, b) => a.start - b.start),
    systemWords: far.flatMap((l) => wordsOf(l)),
    // The diarizer's labels are its own: Ben came out as spk_1, Cleo as spk_0.
    systemTurns: far.map((l) => ({
      start: l.start,
      end: l.end,
      speaker: l.speaker === 'Ben' ? 'spk_1' : 'spk_0',
    })),
    // The meeting app saw Ben and Ada talking, not Cleo.
    timeline: call.lines
      .filter((l) => l.speaker !== 'Cleo')
      .map((l) => ({ start: l.start, end: l.end, name: l.speaker })),
  }

  it('says each line once, by who said it: bled words gone from the mic side, double talk kept and marked', () => {
    const out = mergeDualChannel(input)
    expect(Math.abs(out.bleed.delayS - 0.04)).toBeLessThanOrEqual(0.01)
    expect(out.dropped.map((d) => d.word)).toEqual(bledIn)
    expect(out.result.speakers).toEqual(['Ada', 'Ben', 'Unknown_1'])
    expect(out.result.segments.map((s) => [s.name, s.text, s.channel, s.source, s.overlap])).toEqual(
      call.lines.map((l) => [
        l.speaker === 'Cleo' ? 'Unknown_1' : l.speaker,
        l.text,
        l.channel,
        l.channel === 0 ? 'mic_channel' : l.speaker === 'Ben' ? 'timeline' : 'diarizer',
        call.doubleTalk.some((d) => d.start < l.end && d.end > l.start),
      ]),
    )
  })

  it('without transcripts, gives the user’s turns from the gate and the far side’s from the diarizer', () => {
    const { micWords: _m, systemWords: _s, ...turnsOnly } = input
    const out = mergeDualChannel(turnsOnly)
    const mine = out.result.segments.filter((s) => s.channel === 0)
    // The user's first line and last are alone; the gate finds them within a frame or two.
    for (const line of [near[0], near.at(-1)]) {
      const seg = mine.find((s) => line && s.start < line.end && s.end > line.start)
      expect(Math.abs((seg?.start ?? 0) - (line?.start ?? 0))).toBeLessThan(0.05)
      expect(Math.abs((seg?.end ?? 0) - (line?.end ?? 0))).toBeLessThan(0.05)
    }
    expect(out.result.segments.filter((s) => s.channel === 1).map((s) => s.name)).toEqual(
      far.map((l) => (l.speaker === 'Cleo' ? 'Unknown_1' : l.speaker)),
    )
    // The diarizer's confidence, where it gave one, is the turn's.
    const [first] = input.systemTurns
    if (!first) throw new Error('the call has far-side lines')
    const rated = mergeDualChannel({ ...turnsOnly, systemTurns: [{ ...first, confidence: 0.42 }] })
    expect(rated.result.segments.find((s) => s.channel === 1)?.confidence).toBe(0.42)
  })

  it('does not let the user’s own timeline entries name a far-side speaker', () => {
    const timeline = far.map((l) => ({ start: l.start, end: l.end, name: 'Ada' }))
    const out = mergeDualChannel({ ...input, timeline })
    expect([...out.names.values()].map((n) => n.name)).toEqual(['Unknown_1', 'Unknown_2'])
  })
})

describe('mergeMono', () => {
  it('names the diarizer’s speakers from the timeline, with no channel, and returns fingerprints by name', () => {
    const out = mergeMono({
      duration: 10,
      words: [
        { word: 'Morning', start: 0, end: 0.5 },
        { word: 'all.', start: 0.6, end: 1 },
        { word: 'Hi', start: 2, end: 2.4 },
        { word: 'Ada.', start: 2.5, end: 3 },
      ],
      turns: [
        { start: 0, end: 1.1, speaker: 'spk_3' },
        { start: 1.9, end: 3, speaker: 'spk_0' },
      ],
      timeline: [{ start: 0, end: 1.2, name: 'Ada', confidence: 0.9 }],
      fingerprints: { spk_3: [1, 0], spk_0: [0, 1] },
    })
    expect(out.result.segments).toEqual([
      {
        start: 0,
        end: 1,
        speaker: 'spk_3',
        name: 'Ada',
        text: 'Morning all.',
        channel: null,
        source: 'timeline',
        // The whole turn under an entry the app was 0.9 sure of.
        confidence: 0.9,
        overlap: false,
      },
      {
        start: 2,
        end: 3,
        speaker: 'spk_0',
        name: 'Unknown_1',
        text: 'Hi Ada.',
        channel: null,
        source: 'diarizer',
        confidence: null,
        overlap: false,
      },
    ])
    expect(out.fingerprints).toEqual({ Ada: [1, 0], Unknown_1: [0, 1] })
  })
})
