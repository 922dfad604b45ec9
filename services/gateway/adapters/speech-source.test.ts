import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { type FakeUpstream, startFake } from '../../../shared/testing/fake-upstream.ts'
import { SpeechSourceError } from '../../../ui/ports.ts'
import { createSpeechSource } from './speech-source.ts'

const fakes: FakeUpstream[] = []
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()))
})

async function speechProxy(app: Hono) {
  const fake = await startFake(app)
  fakes.push(fake)
  return createSpeechSource({ baseUrl: fake.url, timeoutMs: 2000, workTimeoutMs: 2000 })
}

describe('the dashboard’s speech source', () => {
  it('sends the upload as diarized_json with the dashboard as the client, and checks the answer', async () => {
    const seen: Record<string, unknown> = {}
    const app = new Hono()
    app.post('/v1/audio/transcriptions', async (c) => {
      const form = await c.req.formData()
      const file = form.get('file') as File
      Object.assign(seen, {
        format: form.get('response_format'),
        name: file.name,
        size: file.size,
        client: c.req.header('x-client-id'),
      })
      return c.json({
        duration: 3,
        text: 'Hi.',
        segments: [{ id: 'seg_0', speaker: 'Speaker_0', start: 0, end: 1, text: 'Hi.' }],
      })
    })
    const source = await speechProxy(app)
    const t = await source.transcribe(new File([new Uint8Array(100)], 'a.wav'))
    expect(t.segments[0]?.speaker).toBe('Speaker_0')
    expect(seen).toEqual({ format: 'diarized_json', name: 'a.wav', size: 100, client: 'dashboard' })
  })

  it('gives a refusal in the service’s words with its Retry-After, and a contract mismatch as a 502', async () => {
    const app = new Hono()
    app.post('/v1/audio/transcriptions', (c) =>
      c.json({ error: { message: 'The queue is full.', type: 'server_error', code: 'queue_full' } }, 503, {
        'Retry-After': '12',
      }),
    )
    app.get('/api/speech/status', (c) => c.json({ lanes: 'nope' }))
    const source = await speechProxy(app)
    const err = await source.transcribe(new File([new Uint8Array(1)], 'a.wav')).catch((e) => e)
    expect(err).toBeInstanceOf(SpeechSourceError)
    expect(err).toMatchObject({ status: 503, message: 'The queue is full.', retryAfterS: 12 })
    await expect(source.status()).rejects.toMatchObject({ status: 502 })
  })

  it('streams the speech audio with its content type', async () => {
    const app = new Hono()
    app.post('/v1/audio/speech', async (c) => {
      const body = (await c.req.json()) as { input: string; voice: string }
      return c.body(`${body.voice}:${body.input}`, 200, { 'content-type': 'audio/mpeg' })
    })
    const source = await speechProxy(app)
    const audio = await source.speak('hello', 'af_heart')
    expect(audio.contentType).toBe('audio/mpeg')
    expect(await new Response(audio.body).text()).toBe('af_heart:hello')
  })
})
