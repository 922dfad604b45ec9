/**
 * A person tries speech from the dashboard's speech page on the real stack in a real browser: sees
 * the lanes, uploads the two-speaker dialogue and reads each person's lines under their own speaker,
 * then types a sentence and gets an audio player whose source answers with audio the browser plays.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { registerTruthFile } from '../../tools/spark-sim/speech/truth-registry.ts'
import { type AudioFixture, dialogue, truthPathFor } from '../fixtures/audio/fixtures.ts'
import { useDemo } from '../support/demo.ts'
import { launchChromium } from './chromium.ts'

// The simulated Parakeet reads its ground-truth registry from here when the demo stack starts it.
const work = await mkdtemp(join(tmpdir(), 'browser-speech-'))
const registry = join(work, 'truth')
process.env.SPARK_SIM_TRUTH_DIR = registry

const fixture = useDemo({ name: 'browser-speech' })
let browser: Browser
let talk: AudioFixture
let upload: string

beforeAll(async () => {
  talk = await dialogue()
  // A private copy: the shared fixture cache may be rebuilt by a parallel suite.
  upload = join(work, 'dialogue.wav')
  await copyFile(talk.path, upload)
  await registerTruthFile(registry, upload, truthPathFor(talk.path))
  browser = await launchChromium()
}, 120_000)
afterAll(async () => {
  await browser?.close()
  if (process.env.SPARK_SIM_TRUTH_DIR === registry) delete process.env.SPARK_SIM_TRUTH_DIR
  await rm(work, { recursive: true, force: true })
})

const words = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z ]/g, '')
    .replace(/\s+/g, ' ')
    .trim()

describe('trying speech from the dashboard (simulated cluster)', () => {
  it('uploads the dialogue and shows two speakers’ lines; speaks typed text into a playable player', async () => {
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (err) => errors.push(err.message))
    await page.goto(fixture.url('/ui/speech'))
    await page.waitForSelector('#speech-status tr[data-lane="asr"]')
    expect(await page.textContent('#speech-status')).toContain('Transcription')

    await page.setInputFiles('#speech-file', upload)
    await page.click('[data-action="transcribe"]')
    const lines = page.locator('#speech-transcript li[data-speaker]')
    await expect.poll(() => lines.count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(2)
    const shown = await lines.evaluateAll((els) =>
      els.map((e) => ({ speaker: e.getAttribute('data-speaker') ?? '', text: e.textContent ?? '' })),
    )
    const speakerOf = (line: string) => shown.find((l) => words(l.text).includes(words(line)))?.speaker
    const [ada, ben] = [speakerOf(talk.lines[0]!.text), speakerOf(talk.lines[1]!.text)]
    expect(ada).toBeTruthy()
    expect(ben).toBeTruthy()
    expect(ada).not.toBe(ben)
    expect(new Set(shown.map((l) => l.speaker)).size).toBe(2)

    await page.fill('#speech-text', 'The model is ready.')
    await page.click('[data-action="say"]')
    const audio = page.locator('#speech-player audio')
    await audio.waitFor()
    const src = (await audio.getAttribute('src'))!
    expect(src).toMatch(/^\/ui\/speech\/say\?/)
    for (const method of ['HEAD', 'GET']) {
      const res = await fetch(fixture.url(src), { method })
      expect(res.status, method).toBe(200)
      expect(res.headers.get('content-type'), method).toMatch(/^audio\//)
      if (method === 'GET') expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(100)
    }
    // The browser itself loads and decodes it (HAVE_METADATA or better, no media error).
    await expect
      .poll(() => audio.evaluate((el: HTMLAudioElement) => (el.error ? -1 : el.readyState)), {
        timeout: 20_000,
      })
      .toBeGreaterThanOrEqual(1)
    expect(errors).toEqual([])

    // The jobs just run show up in the page's recent jobs.
    await expect
      .poll(() => page.locator('#speech-status tr[data-job-route="POST /v1/audio/transcriptions"]').count(), {
        timeout: 10_000,
      })
      .toBeGreaterThanOrEqual(1)
    await page.close()
  })
})
