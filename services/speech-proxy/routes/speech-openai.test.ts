import { Buffer } from 'node:buffer'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { audioKind, type KokoroBed, startKokoroBed } from '../testing/kokoro-sim.ts'

let bed: KokoroBed
let client: OpenAI

beforeAll(async () => {
  bed = await startKokoroBed()
  client = new OpenAI({ baseURL: `${bed.service.url}/v1`, apiKey: 'not-checked-here', maxRetries: 0 })
})
afterAll(() => bed.close())

describe('the official openai client against POST /v1/audio/speech', () => {
  it.each([
    ['wav', 'alloy'],
    ['mp3', 'af_bella(2)+af_sky(1)'],
  ] as const)('audio.speech.create returns %s audio', async (format, voice) => {
    const res = await client.audio.speech.create({
      model: 'tts-1',
      voice,
      input: 'The official client works through the speech proxy.',
      response_format: format,
    })
    const bytes = Buffer.from(await res.arrayBuffer())
    expect(audioKind(bytes)).toBe(format)
    expect(bytes.length).toBeGreaterThan(1000)
  })

  it('surfaces a refusal as an APIError carrying the message', async () => {
    const failed = await client.audio.speech
      .create({ model: 'tts-1', voice: 'alloy', input: 'Too fast.', speed: 9 })
      .catch((err: unknown) => err)
    expect(failed).toBeInstanceOf(OpenAI.APIError)
    expect(failed).toMatchObject({ status: 422, param: 'speed' })
  })
})
