import { describe, expect, it } from 'vitest'
import { callJson } from '../../../shared/http-client.ts'
import { silentLogger } from '../../../shared/logger.ts'
import { createReadiness } from '../../../shared/readiness.ts'
import { createService } from '../../../shared/service.ts'
import { refusedUrl } from '../../../shared/testing/fake-upstream.ts'
import { upstreamCallError, upstreamMessage, upstreamStatusError, wedgeSignature } from './upstream-errors.ts'

const CUBLAS_500 = {
  detail:
    'Transcription failed: CUDA error: CUBLAS_STATUS_EXECUTION_FAILED when calling `cublasSgemm( handle, opa, opb, m, n, k, &alpha, a, lda, b, ldb, &beta, c, ldc)`',
}

describe('upstream status → our error', () => {
  it.each([
    ['cuBLAS', CUBLAS_500, 'CUBLAS_STATUS_EXECUTION_FAILED'],
    [
      'CUDA',
      'RuntimeError: CUDA error: an illegal memory access was encountered',
      'CUDA error: an illegal memory access was encountered',
    ],
    ['cuFFT', { detail: 'cuFFT error: CUFFT_INTERNAL_ERROR' }, 'cuFFT error: CUFFT_INTERNAL_ERROR'],
    ['OOM', { detail: 'CUDA out of memory. Tried to allocate 2.00 GiB' }, 'CUDA out of memory'],
  ])('a 500 carrying a %s fault is 503 upstream_wedged, Retry-After 60', (_, body, signature) => {
    const err = upstreamStatusError('Parakeet ASR', 500, body)
    expect(err).toMatchObject({ status: 503, code: 'upstream_wedged', retryAfterS: 60 })
    expect(err.message).toContain(signature)
  })

  it('reads a 500 without a wedge signature as a bad answer (502), with the upstream message', () => {
    const err = upstreamStatusError('Parakeet ASR', 500, {
      detail: 'Internal Server Error: list index out of range',
    })
    expect(err).toMatchObject({ status: 502, code: 'upstream_failed' })
    expect(err.message).toContain('list index out of range')
  })

  it('reads a busy or starting upstream (503/429) as 503 with its own Retry-After, else 5 s', () => {
    expect(upstreamStatusError('Kokoro TTS', 503, '', '30')).toMatchObject({ status: 503, retryAfterS: 30 })
    expect(upstreamStatusError('Kokoro TTS', 429, null)).toMatchObject({ status: 503, retryAfterS: 5 })
  })

  it('passes the upstream’s objection to what the client sent on with its status and words', () => {
    const kokoro = {
      detail: {
        error: 'validation_error',
        message: 'Voice not found: xx_nobody',
        type: 'invalid_request_error',
      },
    }
    const err = upstreamStatusError('Kokoro TTS', 400, kokoro)
    expect(err).toMatchObject({ status: 400, code: 'upstream_rejected' })
    expect(err.message).toContain('Voice not found: xx_nobody')
    // A 404 is our mistake (a wrong path or URL), not the client's.
    expect(upstreamStatusError('Kokoro TTS', 404, { detail: 'Not Found' }).status).toBe(502)
  })

  it('finds the message in FastAPI, Kokoro and OpenAI bodies, on one line and bounded', () => {
    expect(upstreamMessage({ detail: [{ msg: 'field required' }, { msg: 'bad' }] })).toBe(
      'field required; bad',
    )
    expect(upstreamMessage({ error: { message: 'nope', type: 'x' } })).toBe('nope')
    expect(upstreamMessage('line one\n  line two')).toBe('line one line two')
    expect(upstreamMessage('x'.repeat(1000))!.length).toBe(301)
    expect(upstreamMessage({})).toBeNull()
    expect(wedgeSignature('all fine')).toBeNull()
  })
})

describe('a call without an answer → our error', () => {
  it('is 503 with Retry-After 5 when nothing listens', async () => {
    const url = await refusedUrl()
    const err = await callJson(url, { service: 'Parakeet ASR', timeoutMs: 1000 }).catch((e: unknown) =>
      upstreamCallError('Parakeet ASR', e, 1000),
    )
    expect(err).toMatchObject({ status: 503, code: 'upstream_unavailable', retryAfterS: 5 })
  })

  it('is 504 on a timeout, 499 when our client went away, and 502 otherwise', () => {
    const timeout = Object.assign(new Error('t'), { name: 'TimeoutError' })
    expect(upstreamCallError('Parakeet ASR', timeout, 300_000)).toMatchObject({
      status: 504,
      code: 'upstream_timeout',
    })
    const abort = Object.assign(new Error('a'), { name: 'AbortError' })
    expect(upstreamCallError('Parakeet ASR', abort, 1).status).toBe(499)
    expect(upstreamCallError('Parakeet ASR', new Error('socket hang up'), 1).status).toBe(502)
  })
})

describe('the wedge as clients see it', () => {
  const app = createService({
    name: 'speech-proxy',
    logger: silentLogger(),
    readiness: createReadiness({ service: 'speech-proxy', checks: [] }),
  })
  const wedged = () => {
    throw upstreamStatusError('Parakeet ASR', 500, CUBLAS_500)
  }
  app.post('/v1/audio/transcriptions', wedged)
  app.post('/api/audio/transcribe-with-speakers', wedged)

  it('is the OpenAI envelope on /v1, with Retry-After: 60', async () => {
    const res = await app.request('/v1/audio/transcriptions', { method: 'POST' })
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('60')
    const body = (await res.json()) as { error: Record<string, unknown> }
    expect(body.error).toMatchObject({ type: 'server_error', code: 'upstream_wedged', param: null })
    expect(body.error.message).toContain('CUBLAS_STATUS_EXECUTION_FAILED')
  })

  it('is FastAPI’s {"detail": …} on the earlier /api/audio routes, with Retry-After: 60', async () => {
    const res = await app.request('/api/audio/transcribe-with-speakers', { method: 'POST' })
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('60')
    const body = (await res.json()) as Record<string, unknown>
    expect(Object.keys(body)).toEqual(['detail'])
    expect(body.detail).toContain('CUBLAS_STATUS_EXECUTION_FAILED')
  })
})
