import { describe, expect, it } from 'vitest'
import type { EndpointEntry } from '../../../shared/contracts/gateway.ts'
import { statusVerdict } from './status.ts'

const endpoint = (name: string, over: Partial<EndpointEntry> = {}): EndpointEntry => ({
  name: name as EndpointEntry['name'],
  kind: 'x',
  base_url: 'http://spark-2.example:1',
  ready: true,
  status: 'ready',
  model: null,
  disabled: false,
  capabilities: {},
  ...over,
})
const endpoints = (...entries: EndpointEntry[]) => Object.fromEntries(entries.map((e) => [e.name, e]))
const ok = { overall: 'ok' as const, summary: 'Everything is working' }

describe('status verdict', () => {
  it('passes when every service switched on is ready, naming the disabled and the not configured', () => {
    const detail = statusVerdict(
      { ...ok, upstreams: [{ name: 'qdrant', state: 'not_configured', detail: 'embedded store in use' }] },
      endpoints(
        endpoint('vllm'),
        endpoint('kokoro', { ready: false, status: 'disabled', disabled: true }),
        endpoint('qdrant', { ready: false, status: 'not_ready', base_url: null }),
      ),
    )
    expect(detail).toBe('vllm ready; kokoro disabled; qdrant not configured')
  })

  it('fails naming each service that is not ready, with what the status says about it', () => {
    expect(() =>
      statusVerdict(
        {
          overall: 'degraded',
          summary: 'Speech to text is down',
          upstreams: [{ name: 'parakeet', state: 'down', detail: 'connection refused' }],
        },
        endpoints(endpoint('vllm'), endpoint('parakeet', { ready: false, status: 'not_ready' })),
      ),
    ).toThrow(
      'not ready: parakeet (down: connection refused); /api/status says "Speech to text is down" (overall degraded)',
    )
  })

  it('fails when the overall verdict is not ok even though every endpoint is ready', () => {
    expect(() =>
      statusVerdict({ overall: 'degraded', summary: 'Spark 2 is unreachable' }, endpoints(endpoint('vllm'))),
    ).toThrow('/api/status says "Spark 2 is unreachable" (overall degraded)')
  })

  it('fails when no service is listed', () => {
    expect(() => statusVerdict(ok, {})).toThrow('/api/endpoints lists no services')
  })
})
