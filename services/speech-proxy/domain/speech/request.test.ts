import { describe, expect, it } from 'vitest'
import { SpeechRequest } from '../../../../shared/contracts/speech-proxy.ts'
import { AppError } from '../../../../shared/errors.ts'
import { blendProblem, planSpeech, requestedPriority } from './request.ts'

const plan = (body: Record<string, unknown>, headerPriority?: string) =>
  planSpeech(SpeechRequest.parse({ input: 'Hi.', voice: 'af_heart', ...body }), {
    maxInputChars: 10,
    headerPriority,
  })

function refusal(fn: () => unknown): AppError {
  try {
    fn()
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected a refusal')
}

describe('blend syntax', () => {
  it.each([
    'af_heart',
    'af_bella(2)+af_sky(1)',
    'af_bella(0.5) + af_sky',
    'af_bella+af_sky-am_adam(0.3)',
    'alloy',
  ])('reads %s', (voice) => expect(blendProblem(voice)).toBeNull())

  it.each([
    ['', /empty/],
    ['af_bella+', /no voice beside it/],
    ['+af_bella', /no voice beside it/],
    ['af_bella++af_sky', /no voice beside it/],
    ['af bella', /not a voice name/],
    ['af_bella(two)', /not a voice name/],
    ['af_bella(0)', /above 0/],
    ['af_bella(2', /not a voice name/],
  ])('refuses %j', (voice, problem) => expect(blendProblem(voice)).toMatch(problem))
})

describe('planSpeech', () => {
  it("sends OpenAI's fields and Kokoro's extras, never our priority, and fills OpenAI's defaults", () => {
    const p = plan({
      voice: { id: ' af_sky ' },
      lang_code: 'a',
      normalization_options: { normalize: false },
      priority: 'batch',
    })
    expect(p.upstream).toEqual({
      model: 'kokoro',
      input: 'Hi.',
      voice: 'af_sky',
      response_format: 'mp3',
      speed: 1,
      stream: true,
      lang_code: 'a',
      normalization_options: { normalize: false },
    })
    expect(p).toMatchObject({ format: 'mp3', stream: true, priority: 'batch' })
  })

  it('refuses input over the configured length as a 422 on input', () => {
    const err = refusal(() => plan({ input: 'x'.repeat(11) }))
    expect(err.status).toBe(422)
    expect(err.issues?.[0]).toMatchObject({ field: 'input', message: 'is 11 characters; the limit is 10' })
  })

  it('refuses sse streaming with a 400 saying to use audio', () => {
    const err = refusal(() => plan({ stream_format: 'sse' }))
    expect(err.status).toBe(400)
    expect(err.message).toContain("use 'audio'")
  })

  it('refuses a broken blend as a 422 on voice', () => {
    expect(refusal(() => plan({ voice: 'af_bella(2)+' })).issues?.[0]?.field).toBe('voice')
  })
})

describe('requestedPriority', () => {
  it('is interactive unless asked, and a request may only lower it', () => {
    expect(requestedPriority(undefined, undefined)).toBe('interactive')
    expect(requestedPriority('standard', undefined)).toBe('standard')
    expect(requestedPriority('interactive', 'batch')).toBe('batch')
    expect(requestedPriority('batch', 'interactive')).toBe('batch')
  })

  it('refuses a priority it does not know', () => {
    expect(refusal(() => requestedPriority('urgent')).status).toBe(422)
  })
})
