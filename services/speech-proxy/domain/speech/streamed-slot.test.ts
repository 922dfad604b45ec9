import { describe, expect, it } from 'vitest'
import { deferred } from '../../../../shared/testing/deferred.ts'
import { createAdmission } from '../admission/admission.ts'
import type { Admit } from '../admission/lanes.ts'
import { streamThroughSlot } from './streamed-slot.ts'

const admission = () =>
  createAdmission({
    limits: { asr: 1, diarize: 1, tts: 1 },
    maxQueue: { asr: 4, diarize: 4, tts: 4 },
    perClientMax: 8,
  })
const admit = (signal: AbortSignal): Admit => ({
  lane: 'tts',
  client: 'c',
  priority: 'interactive',
  deadlineMs: 60_000,
  work: 1,
  signal,
})
const tts = (a: ReturnType<typeof admission>) => a.status().find((l) => l.lane === 'tts')!

/** An upstream body the test feeds piece by piece; `cancelled` resolves when our side cancels it. */
function upstreamBody() {
  const cancelled = deferred<unknown>()
  let push!: ReadableStreamDefaultController<Uint8Array>
  const body = new ReadableStream<Uint8Array>({
    start: (c) => {
      push = c
    },
    cancel: (reason) => cancelled.resolve(reason),
  })
  return { body, push, cancelled: cancelled.promise }
}

describe('streamThroughSlot', () => {
  it('hands the body out before it ends and holds the lane until it does', async () => {
    const a = admission()
    const up = upstreamBody()
    const started = await streamThroughSlot(
      a,
      admit(new AbortController().signal),
      async () => ({ body: up.body }),
      () => {},
    )
    expect(tts(a).running).toBe(1)
    const reader = started.body.getReader()
    up.push.enqueue(new Uint8Array([1, 2]))
    expect((await reader.read()).value).toEqual(new Uint8Array([1, 2]))
    expect(tts(a).running).toBe(1)
    up.push.close()
    expect((await reader.read()).done).toBe(true)
    await expect.poll(() => tts(a).running).toBe(0)
    expect(tts(a).served).toBe(1)
  })

  it('frees the lane and cancels the upstream when the client goes, even before anyone reads', async () => {
    const a = admission()
    const client = new AbortController()
    const up = upstreamBody()
    await streamThroughSlot(
      a,
      admit(client.signal),
      async () => ({ body: up.body }),
      () => {},
    )
    client.abort(new Error('client went away'))
    await up.cancelled
    await expect.poll(() => tts(a).running).toBe(0)
  })

  it('rejects with the opening failure, and reports a failure after the start instead', async () => {
    const a = admission()
    const refused = new Error('Kokoro refused')
    await expect(
      streamThroughSlot(
        a,
        admit(new AbortController().signal),
        () => Promise.reject(refused),
        () => {},
      ),
    ).rejects.toBe(refused)
    const late = deferred<unknown>()
    const up = upstreamBody()
    const started = await streamThroughSlot(
      a,
      admit(new AbortController().signal),
      async () => ({ body: up.body }),
      late.resolve,
    )
    const reader = started.body.getReader()
    const broken = new Error('connection reset')
    up.push.error(broken)
    await expect(reader.read()).rejects.toBe(broken)
    expect(await late.promise).toBe(broken)
    expect(tts(a).running).toBe(0)
  })
})
