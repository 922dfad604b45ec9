/**
 * The ground-truth registry over the shared speech fixtures (tests/fixtures/audio): what the speech
 * proxy's tests will see when they register them. The meeting reuses clips, so the same line sounds
 * many times; the call's mic carries the far side's bleed 40 ms late at −18 dB.
 */
import { copyFile, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type CallFixture,
  meeting,
  stereoCall,
  truthPathFor,
} from '../../../tests/fixtures/audio/fixtures.ts'
import { runToolOk } from './audio/tools.ts'
import { type ParakeetHandle, startParakeet } from './parakeet.ts'
import { makeTempDir } from './test-audio.ts'
import { buildIndex } from './truth-match.ts'
import { loadTruth, registerTruthFile } from './truth-registry.ts'

let dir: string
let parakeet: ParakeetHandle
let call: CallFixture

async function segments(file: string) {
  const form = new FormData()
  form.set('file', new Blob([await readFile(file)], { type: 'audio/wav' }), 'chunk.wav')
  form.set('response_format', 'verbose_json')
  const res = await fetch(`${parakeet.url}/v1/audio/transcriptions`, { method: 'POST', body: form })
  return ((await res.json()) as { segments: Array<{ start: number; end: number; text: string }> }).segments
}

/** A private copy: the shared fixture cache may be rebuilt by a parallel test while these run. */
async function keep(fixture: { path: string }, name: string) {
  const path = join(dir, name)
  await copyFile(fixture.path, path)
  return path
}

beforeAll(async () => {
  dir = await makeTempDir('truth-fixtures')
  const registry = join(dir, 'registry')
  const shared = await stereoCall()
  call = { ...shared, path: await keep(shared, 'call.wav') }
  await registerTruthFile(registry, call.path, truthPathFor(shared.path))
  parakeet = await startParakeet({ port: 0, truthDir: registry })
}, 120_000)

afterAll(async () => {
  await parakeet?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('ground truth over the shared fixtures', () => {
  it("the call's mic says the near side's lines and the far side's bleed, late by the bleed delay", async () => {
    const mic = join(dir, 'mic.wav')
    await runToolOk('sox', [call.path, mic, 'remix', '1'])
    const heard = await segments(mic)
    for (const line of call.lines) {
      const seg = heard.find((s) => line.text.startsWith(s.text) && s.text.length > 10)
      expect(seg, line.text).toBeDefined()
      const expected = line.start + (line.channel === 1 ? call.bleed.delayS : 0)
      expect(Math.abs(seg!.start - expected)).toBeLessThan(0.1)
    }
  })

  it("the call's system channel says only the far side's lines", async () => {
    const system = join(dir, 'system.wav')
    await runToolOk('sox', [call.path, system, 'remix', '2'])
    const far = call.lines.filter((l) => l.channel === 1).map((l) => l.text)
    expect((await segments(system)).map((s) => s.text)).toEqual(far)
  })

  it('every whole line of 30 s meeting chunks, reused clips included, at its place in the chunk', async () => {
    const shared = await meeting()
    const m = { ...shared, path: await keep(shared, 'meeting.wav') }
    await registerTruthFile(join(dir, 'registry'), m.path, truthPathFor(shared.path))
    // Reused clips are indexed once (the call's lines are in the registry too).
    const index = buildIndex(await loadTruth(join(dir, 'registry')))
    const distinct = new Set(m.lines.map((l) => `${l.speaker}:${l.text}`)).size + call.lines.length
    expect(index.lines.length).toBeGreaterThanOrEqual(distinct)
    expect(index.lines.length).toBeLessThan(m.lines.length / 2)
    for (const from of [0, 301.7, m.duration - 31]) {
      const chunk = join(dir, `meeting-${from}.wav`)
      await runToolOk('sox', [m.path, chunk, 'trim', String(from), '30'])
      const heard = await segments(chunk)
      const inside = m.lines.filter((l) => l.start >= from && l.end <= from + 30)
      expect(inside.length).toBeGreaterThan(2)
      for (const line of inside)
        expect(heard.some((s) => s.text === line.text && Math.abs(s.start - (line.start - from)) < 0.1)).toBe(
          true,
        )
    }
  }, 60_000)
})
