import { describe, expect, it } from 'vitest'
import { estimateBleed } from './bleed.ts'
import { removeBledWords, tokenSimilarity } from './dedup.ts'
import { FRAME_LABELS, type FrameLabel, type Gate, gateMic } from './gate.ts'
import { callEnvelopes, wordsOf } from './testing.ts'

/** A gate from runs of labels, 10 ms per frame: `[['bleed', 1.0], ['self', 0.5]]`. */
function gateOf(runs: [FrameLabel, number][]): Gate {
  const codes: number[] = []
  for (const [label, seconds] of runs)
    codes.push(...new Array<number>(Math.round(seconds * 100)).fill(FRAME_LABELS.indexOf(label)))
  return { hopS: 0.01, codes: Uint8Array.from(codes) }
}

describe('tokenSimilarity', () => {
  it('ignores case, punctuation and leading spaces', () => {
    expect(tokenSimilarity(' Tuesday.', 'tuesday')).toBe(1)
    expect(tokenSimilarity('"Billing,"', 'billing')).toBe(1)
  })

  it('is the share of characters that need no edit', () => {
    expect(tokenSimilarity('colour', 'color')).toBeCloseTo(5 / 6)
    expect(tokenSimilarity('ship', 'shop')).toBe(0.75)
    expect(tokenSimilarity('beta', 'audit')).toBeLessThan(0.3)
  })
})

describe('removeBledWords', () => {
  // 0–1 s bleed, 1–2 s the user alone, 2–3 s double talk, 3–4 s bleed.
  const gate = gateOf([
    ['bleed', 1],
    ['self', 1],
    ['double_talk', 1],
    ['bleed', 1],
  ])
  const far = [
    { word: 'ready', start: 0.1, end: 0.4 },
    { word: 'to', start: 0.45, end: 0.6 },
    { word: 'ship', start: 2.1, end: 2.4 },
    { word: 'Tuesday.', start: 3.1, end: 3.5 },
  ]

  it('drops a mic word over bleed that the far side said at the same time', () => {
    const mic = [
      { word: 'Ready', start: 0.14, end: 0.44 },
      { word: 'tuesday', start: 3.14, end: 3.54 },
    ]
    const { kept, dropped } = removeBledWords(mic, far, gate, { delayS: 0.04 })
    expect(kept).toEqual([])
    expect(dropped.map((d) => [d.word.word, d.echoOf.word, d.similarity])).toEqual([
      ['Ready', 'ready', 1],
      ['tuesday', 'Tuesday.', 1],
    ])
  })

  it('keeps the same word said over the user’s own voice: that is double talk', () => {
    const mic = [{ word: 'ship', start: 2.14, end: 2.44 }]
    expect(removeBledWords(mic, far, gate, { delayS: 0.04 }).kept).toEqual(mic)
  })

  it('keeps a word over bleed that the far side did not say, or said too far away in time', () => {
    const mic = [
      { word: 'steady', start: 0.14, end: 0.44 },
      { word: 'ship', start: 3.6, end: 3.9 },
    ]
    // 'ship' is 1.2 s after the far side's: outside delay + 0.5 s.
    expect(removeBledWords(mic, far, gate, { delayS: 0.04 }).kept).toEqual(mic)
  })

  it('drops near matches from 0.8 up, not below', () => {
    const mic = [{ word: 'tuesdays', start: 3.14, end: 3.54 }]
    expect(removeBledWords(mic, far, gate, { delayS: 0.04 }).dropped).toHaveLength(1)
    expect(removeBledWords(mic, far, gate, { delayS: 0.04, minSimilarity: 0.9 }).dropped).toHaveLength(0)
  })
})

describe('removeBledWords on the stereo call', () => {
  it('removes the far side’s words heard on the mic and keeps every word the user said, double talk included', async () => {
    const { call, mic, system } = await callEnvelopes()
    const bleed = estimateBleed(mic, system)
    const gate = gateMic(mic, system, bleed)
    const near = call.lines.filter((l) => l.channel === 0)
    const farLines = call.lines.filter((l) => l.channel === 1)
    // What the ASR hears on the mic: the user, and the far side where it is not drowned by the user.
    const bledIn = farLines
      .flatMap((l) => wordsOf(l, call.bleed.delayS))
      .filter((w) => !near.some((n) => n.start < w.end && n.end > w.start))
    const userWords = near.flatMap((l) => wordsOf(l))
    const micWords = [...userWords, ...bledIn].sort((a, b) => a.start - b.start)
    const { kept, dropped } = removeBledWords(
      micWords,
      farLines.flatMap((l) => wordsOf(l)),
      gate,
      bleed,
    )
    expect(kept).toEqual(userWords)
    expect(dropped.map((d) => d.word)).toEqual(bledIn)
    // The double talk: the user's words there were kept.
    const [dt] = call.doubleTalk
    expect(kept.filter((w) => dt && w.start < dt.end && w.end > dt.start).length).toBeGreaterThan(0)
  })
})
