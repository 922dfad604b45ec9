import { describe, expect, it } from 'vitest'
import type { EndpointEntry } from '../../shared/contracts/gateway.ts'
import { type Check, type CheckContext, fail } from './check.ts'
import { readEndpoints, runChecks } from './runner.ts'
import { fakeClient } from './testing/fake-client.ts'

const check = (name: string, run: Check['run'], needs: string[] = []): Check =>
  ({ name, needs, run }) as Check

const context = (endpoints: CheckContext['endpoints'] = null): CheckContext => ({
  client: fakeClient({}),
  endpoints,
  audio: async () => '',
  facts: {},
})

describe('smoke runner', () => {
  it('runs every check in order to a verdict with its time, also after a failure', async () => {
    let clock = 0
    const seen: string[] = []
    const results = await runChecks(
      [
        check('status', async () => {
          clock += 120
          return 'all ready'
        }),
        check('chat', async () => fail('no chat model is loaded')),
        check('tts', async () => {
          throw new TypeError('boom')
        }),
      ],
      context(),
      (r) => seen.push(r.name),
      () => clock,
    )
    expect(results).toEqual([
      { name: 'status', verdict: 'PASS', detail: 'all ready', ms: 120 },
      { name: 'chat', verdict: 'FAIL', detail: 'no chat model is loaded', ms: 0 },
      { name: 'tts', verdict: 'FAIL', detail: 'unexpected error: boom', ms: 0 },
    ])
    expect(seen).toEqual(['status', 'chat', 'tts'])
  })

  it('skips a check only when /api/endpoints says a service it needs is disabled', async () => {
    let ran = 0
    const run = async () => {
      ran++
      return 'ok'
    }
    const endpoints = {
      kokoro: { disabled: true },
      parakeet: { disabled: false, ready: false },
    } as unknown as Record<string, EndpointEntry>
    const results = await runChecks(
      [check('tts', run, ['kokoro']), check('transcription', run, ['parakeet'])],
      context(endpoints),
    )
    expect(results.map((r) => [r.verdict, r.detail])).toEqual([
      ['SKIP', 'kokoro disabled on this installation (/api/endpoints)'],
      ['PASS', 'ok'],
    ])
    expect(ran).toBe(1)
  })

  it('reads /api/endpoints, or says why it could not', async () => {
    const up = fakeClient({ 'GET /api/endpoints': { json: { vllm: { name: 'vllm' } } } })
    expect(await readEndpoints({ client: up })).toEqual({ endpoints: { vllm: { name: 'vllm' } } })
    const down = fakeClient({ 'GET /api/endpoints': { fail: 'GET /api/endpoints: connection refused' } })
    expect(await readEndpoints({ client: down })).toEqual({
      endpoints: null,
      endpointsProblem: 'GET /api/endpoints: connection refused',
    })
  })
})
