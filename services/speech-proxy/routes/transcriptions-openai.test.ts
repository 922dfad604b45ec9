/** The official openai client transcribing through the service over real HTTP (`baseURL` = its `/v1`). */
import { createReadStream } from 'node:fs'
import type { Hono } from 'hono'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeUpstream, startFake } from '../../../shared/testing/fake-upstream.ts'
import { dialogue, nonAudio } from '../../../tests/fixtures/audio/fixtures.ts'
import { startTranscriptionBed, type TranscriptionBed } from '../testing/transcription-bed.ts'

let bed: TranscriptionBed
let served: FakeUpstream
let client: OpenAI
let talkPath: string
let lines: string[]

const words = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9' ]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean)

beforeAll(async () => {
  bed = await startTranscriptionBed()
  served = await startFake(bed.app as unknown as Hono)
  client = new OpenAI({ baseURL: `${served.url}/v1`, apiKey: 'not-checked-here', maxRetries: 0 })
  const talk = await dialogue()
  talkPath = await bed.keep(talk.path, { name: 'dialogue.wav' })
  lines = talk.lines.map((l) => l.text)
}, 120_000)

afterAll(async () => {
  await served?.close()
  await bed?.close()
})

describe('the official openai client against POST /v1/audio/transcriptions', () => {
  it('audio.transcriptions.create returns the text', async () => {
    const res = await client.audio.transcriptions.create({
      file: createReadStream(talkPath),
      model: 'whisper-1',
    })
    expect(words(res.text)).toEqual(lines.flatMap(words))
  })

  it('verbose_json with word timestamps parses into the SDK’s types', async () => {
    const res = await client.audio.transcriptions.create({
      file: createReadStream(talkPath),
      model: 'whisper-1',
      response_format: 'verbose_json',
      timestamp_granularities: ['word', 'segment'],
    })
    expect(res.duration).toBeGreaterThan(20)
    expect(res.words?.map((w) => w.word.toLowerCase().replace(/[^a-z0-9']/g, ''))).toEqual(
      lines.flatMap(words),
    )
    expect(res.segments?.length).toBeGreaterThan(0)
  })

  it('srt comes back as a string', async () => {
    const res = await client.audio.transcriptions.create({
      file: createReadStream(talkPath),
      model: 'whisper-1',
      response_format: 'srt',
    })
    expect(res).toMatch(/^1\n00:00:00,\d{3} --> /)
  })

  it('a file that is not audio is an APIError with status, code and message', async () => {
    const failed = await client.audio.transcriptions
      .create({ file: createReadStream(await nonAudio('png')), model: 'whisper-1' })
      .catch((err: unknown) => err)
    expect(failed).toBeInstanceOf(OpenAI.APIError)
    expect(failed).toMatchObject({ status: 415, code: 'unsupported_media_type' })
    expect((failed as Error).message).toMatch(/audio/i)
  })
})
