/**
 * At shutdown the gateway ends the event streams it proxies (swap progress, logs): they never end
 * by themselves, and each used to hold the process open for the whole grace period. Chat streams
 * end with their generation and are left to finish.
 */
import type { ServerResponse } from 'node:http'
import { describe, expect, it } from 'vitest'
import { listen, startGateway } from '../testing/harness.ts'
import { trackServers } from '../testing/tracked.ts'

const track = trackServers()

/** An SSE backend that sends one event and then stays open until the client goes (`open` keeps each answer by path). */
function endlessEvents(gone: string[], open = new Map<string, ServerResponse>()) {
  return listen((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
    res.write('event: state\ndata: {}\n\n')
    open.set(req.url ?? '', res)
    res.once('close', () => gone.push(req.url ?? ''))
  })
}

async function firstChunk(res: Response) {
  const reader = res.body!.getReader()
  await reader.read()
  return reader
}

describe('proxied streams at shutdown', () => {
  it('ends event streams cleanly and drops them upstream, but leaves chat streams running', async () => {
    const gone: string[] = []
    const open = new Map<string, ServerResponse>()
    const upstream = await track(endlessEvents(gone, open))
    const lifecycle = new AbortController()
    const gw = await track(startGateway({ 'swap-controller': upstream.url }, { shutdown: lifecycle.signal }))
    // A stream the shutdown fails to end fails the test after 2 s instead of hanging it.
    const deadline = AbortSignal.timeout(2000)
    const events = await firstChunk(await fetch(`${gw.url}/api/swap/events`, { signal: deadline }))
    const chatRes = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', body: '{"stream":true}' })
    const chat = await firstChunk(chatRes)

    lifecycle.abort()
    expect(await events.read()).toEqual({ done: true, value: undefined })
    await expect.poll(() => gone).toEqual(['/api/swap/events'])
    // The generation goes on until it ends by itself (or the server's grace period cuts it): what
    // the backend writes now still reaches the client.
    open.get('/v1/chat/completions')!.write('data: more\n\n')
    expect(new TextDecoder().decode((await chat.read()).value)).toBe('data: more\n\n')
    expect(gone).toEqual(['/api/swap/events'])
    await chat.cancel()
  })

  it('ends a stream that opens after shutdown began', async () => {
    const gone: string[] = []
    const upstream = await track(endlessEvents(gone))
    const lifecycle = new AbortController()
    const gw = await track(startGateway({ 'swap-controller': upstream.url }, { shutdown: lifecycle.signal }))
    lifecycle.abort()
    // Ends on its own well within 2 s (the deadline would fail the read instead).
    const res = await fetch(`${gw.url}/api/swap/logs`, { signal: AbortSignal.timeout(2000) })
    expect(typeof (await res.text())).toBe('string')
  })
})
