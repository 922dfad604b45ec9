import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runToolOk } from './audio/tools.ts'
import { type ParakeetHandle, startParakeet } from './parakeet.ts'
import { type Fixture, makeSpeech, makeTempDir } from './test-audio.ts'
import { loadTruth, registerTruth, type TruthLineInput } from './truth-registry.ts'

const LINE_1 = 'The quick brown fox jumps over the lazy dog near the river bank today.'
const LINE_2 = 'Please send the quarterly report to the finance team before Friday afternoon.'
const LINE_3 = 'We moved the planning meeting to Tuesday because the budget is not ready yet.'
const UNREGISTERED = 'Nobody registered this sentence so the emulator has to make its words up'

let dir: string
let registry: string
let parakeet: ParakeetHandle
let dialogue: Fixture
let truth: TruthLineInput[]

interface Verbose {
  text: string
  segments: Array<{ start: number; end: number; text: string }>
  words: Array<{ word: string; start: number; end: number }>
}

async function transcribe(file: string): Promise<Verbose> {
  const form = new FormData()
  form.set('file', new Blob([await readFile(file)], { type: 'audio/wav' }), 'chunk.wav')
  form.set('response_format', 'verbose_json')
  form.append('timestamp_granularities[]', 'word')
  form.append('timestamp_granularities[]', 'segment')
  const res = await fetch(`${parakeet.url}/v1/audio/transcriptions`, { method: 'POST', body: form })
  expect(res.status).toBe(200)
  return (await res.json()) as Verbose
}

const sox = (...args: string[]) => runToolOk('sox', args)
const words = (text: string) => text.split(' ')

beforeAll(async () => {
  dir = await makeTempDir('truth-test')
  registry = join(dir, 'registry')
  parakeet = await startParakeet({ port: 0, truthDir: registry })
  dialogue = await makeSpeech(dir, 'dialogue', [
    { silence: 0.6 },
    { voice: 'en-us', text: LINE_1 },
    { silence: 1.0 },
    { voice: 'en-us+f3', text: LINE_2 },
    { silence: 1.0 },
    { voice: 'en-us', text: LINE_3 },
    { silence: 0.6 },
  ])
  truth = dialogue.spans.map((s, i) => ({
    speaker: s.voice,
    text: [LINE_1, LINE_2, LINE_3][i]!,
    start: s.start,
    end: s.end,
  }))
  await registerTruth(registry, dialogue.path, truth)
})

afterAll(async () => {
  await parakeet?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('ground truth: registry', () => {
  it('stores each line with its codes, once per recording and lines', async () => {
    const again = await registerTruth(registry, dialogue.path, truth)
    expect(again).toMatch(/\.json$/)
    const lines = await loadTruth(registry)
    expect(lines.map((l) => l.text)).toEqual([LINE_1, LINE_2, LINE_3])
    for (const l of lines) expect(l.codes.code.length).toBeGreaterThan(50)
    expect(await loadTruth(join(dir, 'no-such-dir'))).toEqual([])
  })
})

describe('ground truth: transcription of uploaded chunks', () => {
  it('says the registered words of the whole recording, timed inside each line', async () => {
    const body = await transcribe(dialogue.path)
    expect(body.text).toBe([LINE_1, LINE_2, LINE_3].join(' '))
    expect(body.segments.map((s) => s.text)).toEqual([LINE_1, LINE_2, LINE_3])
    body.segments.forEach((seg, i) => {
      expect(Math.abs(seg.start - truth[i]!.start)).toBeLessThan(0.1)
      expect(Math.abs(seg.end - truth[i]!.end)).toBeLessThan(0.3)
    })
    expect(body.words.map((w) => w.word)).toEqual(words([LINE_1, LINE_2, LINE_3].join(' ')))
  })

  it('recognises a cut, resampled, attenuated and delayed chunk and keeps only the words it holds', async () => {
    // From the middle of line 1 to the end of the file, through 8 kHz, 18 dB down, 40 ms later.
    const cutAt = (truth[0]!.start + truth[0]!.end) / 2
    const chunk = join(dir, 'chunk.wav')
    await sox(
      dialogue.path,
      '-r',
      '8000',
      chunk,
      'trim',
      String(cutAt),
      'vol',
      '-18',
      'dB',
      'pad',
      '0.04',
      '0',
    )
    const body = await transcribe(chunk)
    const first = body.segments[0]!.text.split(' ')
    // Line 1 arrives cut: only its tail, ending as the line ends.
    expect(first.length).toBeGreaterThan(3)
    expect(first.length).toBeLessThan(words(LINE_1).length)
    expect(LINE_1.endsWith(body.segments[0]!.text)).toBe(true)
    expect(body.segments.slice(1).map((s) => s.text)).toEqual([LINE_2, LINE_3])
    // Times are the chunk's own: line 2 starts where it was in the file, less the cut, plus the delay.
    const line2 = body.segments[1]!
    expect(Math.abs(line2.start - (truth[1]!.start - cutAt + 0.04))).toBeLessThan(0.1)
    expect(body.words[0]!.start).toBeGreaterThanOrEqual(0)
  })

  it('hears a quiet bleed of a line as that line, and the louder talker where two overlap', async () => {
    const alone = join(dir, 'line2.wav')
    await sox(dialogue.path, alone, 'trim', String(truth[1]!.start), String(truth[1]!.end - truth[1]!.start))
    const bleed = join(dir, 'bleed.wav')
    await sox(alone, bleed, 'vol', '-18', 'dB', 'pad', '0.5', '0.5')
    expect((await transcribe(bleed)).text).toBe(LINE_2)
    // Line 3 at full level over line 2's bleed: the transcript is line 3's.
    const line3 = join(dir, 'line3.wav')
    await sox(dialogue.path, line3, 'trim', String(truth[2]!.start), String(truth[2]!.end - truth[2]!.start))
    const doubleTalk = join(dir, 'double-talk.wav')
    await sox('-m', line3, '-v', '0.126', alone, doubleTalk)
    expect((await transcribe(doubleTalk)).text.startsWith(LINE_3.slice(0, 30))).toBe(true)
  })

  it('makes up placeholder words for speech no registered line matches', async () => {
    const other = await makeSpeech(dir, 'other', [
      { voice: 'en-us', text: UNREGISTERED },
      { silence: 1.0 },
      { voice: 'en-us', text: LINE_1 },
    ])
    const body = await transcribe(other.path)
    expect(body.segments).toHaveLength(2)
    expect(body.segments[0]!.text).not.toContain('registered')
    expect(body.segments[0]!.text.length).toBeGreaterThan(0)
    expect(body.segments[1]!.text).toBe(LINE_1)
  })

  it('mishears a seeded share of ground-truth words when asked, the same way for the same audio', async () => {
    const script = words([LINE_1, LINE_2, LINE_3].join(' '))
    parakeet.setWordErrorRate(0.3)
    try {
      const heard = (await transcribe(dialogue.path)).words.map((w) => w.word)
      expect((await transcribe(dialogue.path)).words.map((w) => w.word)).toEqual(heard)
      const kept = heard.filter((w) => script.includes(w)).length
      expect(heard.length).toBeLessThan(script.length)
      expect(kept).toBeGreaterThan(script.length * 0.4)
      expect(kept).toBeLessThan(script.length * 0.95)
    } finally {
      parakeet.setWordErrorRate(0)
    }
  })

  it('returns words with or without a leading space, as switched', async () => {
    parakeet.setLeadingSpaces(true)
    try {
      const body = await transcribe(dialogue.path)
      expect(body.words.map((w) => w.word)).toEqual(
        words([LINE_1, LINE_2, LINE_3].join(' ')).map((w) => ` ${w}`),
      )
      expect(body.segments[0]!.text).toBe(` ${LINE_1}`)
      expect(body.text).toBe([LINE_1, LINE_2, LINE_3].join(' '))
    } finally {
      parakeet.setLeadingSpaces(false)
    }
    expect((await transcribe(dialogue.path)).words[0]!.word).toBe('The')
  })
})
