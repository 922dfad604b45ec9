import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { clientOf, formList, timingHeaders } from './audio-request.ts'

const app = new Hono().get('/who', (c) => c.text(clientOf(c)))
const who = async (headers: Record<string, string>, env?: unknown) =>
  (await app.request('/who', { headers }, env)).text()

describe('clientOf: whom a request counts against in the admission lanes', () => {
  it('the actor the gateway forwards (the API key’s name) first', async () => {
    expect(await who({ 'x-spark-actor': 'recap-relay', 'x-forwarded-for': '203.0.113.9' })).toBe(
      'key:recap-relay',
    )
  })

  it('else the address the gateway appended to X-Forwarded-For, not one the client claimed', async () => {
    expect(await who({ 'x-forwarded-for': '1.2.3.4, 203.0.113.9' })).toBe('ip:203.0.113.9')
  })

  it('else the peer, from Node or Deno', async () => {
    expect(await who({}, { incoming: { socket: { remoteAddress: '127.0.0.1' } } })).toBe('ip:127.0.0.1')
    expect(await who({}, { remoteAddr: { hostname: '::1' } })).toBe('ip:::1')
    expect(await who({})).toBe('anonymous')
  })
})

describe('form helpers and timing headers', () => {
  it('repeated and comma-separated values are one list', () => {
    expect(
      formList({ 'timestamp_granularities[]': ['word', 'segment, word'] }, 'timestamp_granularities[]'),
    ).toEqual(['word', 'segment', 'word'])
  })

  it('Server-Timing names every phase; merge includes rendering', () => {
    const headers = timingHeaders(
      {
        transcript: { duration: 1, language: null, text: '', words: [], segments: [] },
        models: { transcription: 'm', diarization: null },
        queuePosition: 3,
        chunks: 1,
        timings: { queue: 12.34, decode: 5, asr: 100, diar: 0, merge: 1 },
      },
      0.5,
    )
    expect(headers).toEqual({
      'X-Queue-Position': '3',
      'Server-Timing': 'queue;dur=12.3, decode;dur=5.0, asr;dur=100.0, diar;dur=0.0, merge;dur=1.5',
    })
  })
})
