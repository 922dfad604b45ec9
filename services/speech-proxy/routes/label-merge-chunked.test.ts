/**
 * A call longer than one ASR chunk: each side is cut at its pauses and transcribed chunk by chunk,
 * stitched back in file seconds, and the label-merge still gives each line once to who said it.
 * (The call is half a minute; the chunks here are made short to take that path.)
 */
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { LabelMergeResultBody } from '../../../shared/contracts/speech-proxy.ts'
import { type CallFixture, stereoCall } from '../../../tests/fixtures/audio/fixtures.ts'
import { startTranscriptionBed, type TranscriptionBed } from '../testing/transcription-bed.ts'

let bed: TranscriptionBed
let call: CallFixture
let path: string

beforeAll(async () => {
  bed = await startTranscriptionBed({ transcription: { chunking: { targetS: 8, maxS: 12, marginS: 1 } } })
  call = await stereoCall()
  path = await bed.keep(call.path)
}, 120_000)

afterAll(async () => {
  await bed?.close()
})

const words = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9' ]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .join(' ')

it('cuts each side into chunks and still says every line once, by who said it', async () => {
  const form = new FormData()
  form.set('file', new Blob([await readFile(path)]), 'call.wav')
  form.set('self_name', 'Ada')
  const timeline = call.lines.filter((l) => l.speaker === 'Ben').map((l) => ({ ...l, name: 'Ben' }))
  form.set('timeline', JSON.stringify(timeline))
  const res = await bed.app.request('/v1/audio/label-merge', { method: 'POST', body: form })
  expect(res.status).toBe(200)
  const body = (await res.json()) as LabelMergeResultBody
  expect(body.segments.map((s) => [s.name, s.channel, words(s.text)])).toEqual(
    call.lines.map((l) => [l.speaker === 'Cleo' ? 'Unknown_1' : l.speaker, l.channel, words(l.text)]),
  )
  // Both sides went through the ASR lane in several pieces.
  expect(bed.parakeet.requestCount('/v1/audio/transcriptions')).toBeGreaterThanOrEqual(6)
  expect(await bed.leftovers()).toEqual([])
})
