/**
 * The proxy reports each request it forwards to a backend (shared/outcomes/), the backend's service
 * name as target — but not a request whose client went away. Any answer is the backend alive: its
 * 503 is Parakeet down, not the speech-proxy.
 */
import { describe, expect, it } from 'vitest'
import type { RequestOutcome } from '../../../shared/contracts/connectivity-monitor.ts'
import type { OutcomeSink } from '../../../shared/outcomes/reporter.ts'
import { listen, startGateway } from '../testing/harness.ts'
import { trackServers } from '../testing/tracked.ts'

const track = trackServers()

function collecting() {
  const seen: RequestOutcome[] = []
  const sink: OutcomeSink = { enabled: true, record: (o) => seen.push(o) }
  return { sink, seen }
}

describe('proxy outcomes', () => {
  it('reports answers by backend, a 5xx too (it speaks for the backend’s upstream), and a backend that is not there as refused', async () => {
    const { sink, seen } = collecting()
    const swap = await track(listen((_req, res) => res.writeHead(200).end('{}')))
    const speech = await track(listen((_req, res) => res.writeHead(503).end('{}')))
    const gw = await track(
      startGateway({ 'swap-controller': swap.url, 'speech-proxy': speech.url }, { outcomes: sink }),
    )
    expect((await fetch(`${gw.url}/api/swap/state`)).status).toBe(200)
    expect((await fetch(`${gw.url}/v1/audio/voices`)).status).toBe(503)
    expect((await fetch(`${gw.url}/scrub`, { method: 'POST', body: '{}' })).status).toBe(503)
    expect(seen.map(({ target, ok, kind, status }) => ({ target, ok, kind, status }))).toEqual([
      { target: 'swap-controller', ok: true, kind: undefined, status: 200 },
      { target: 'speech-proxy', ok: true, kind: undefined, status: 503 },
      { target: 'redaction-gateway', ok: false, kind: 'refused', status: undefined },
    ])
  })

  it('does not report a request whose client went away before the answer', async () => {
    const { sink, seen } = collecting()
    let reached!: () => void
    let dropped!: () => void
    const arrived = new Promise<void>((r) => {
      reached = r
    })
    const gone = new Promise<void>((r) => {
      dropped = r
    })
    // Holds the request until the gateway drops it.
    const swap = await track(
      listen((_req, res) => {
        res.once('close', dropped)
        reached()
      }),
    )
    const gw = await track(startGateway({ 'swap-controller': swap.url }, { outcomes: sink }))
    const client = new AbortController()
    const pending = fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      body: '{}',
      signal: client.signal,
    }).catch(() => 'aborted')
    await arrived
    client.abort()
    expect(await pending).toBe('aborted')
    // The backend sees its request dropped after the proxy's handler heard of the abort.
    await gone
    expect(seen).toEqual([])
  })
})
