/**
 * At shutdown the gateway ends the event streams it proxies (swap progress, logs): they never end
 * by themselves, and each used to hold the process open for the whole grace period. Chat streams
 * end with their generation and are left to finish.
 */
import { describe, expect, it } from 'vitest'
import { listen, sleep, startGateway } from '../testing/harness.ts'
import { trackServers } from '../testing/tracked.ts'

const track = trackServers()

/** An SSE backend that sends one event and then stays open until the client goes. */
function endlessEvents(gone: string[]) {
  return listen((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
    res.write('event: state\ndata: {}\n\n')
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
    const upstream = await track(endlessEvents(gone))
    const lifecycle = new AbortController()
    const gw = await track(startGateway({ 'swap-controller': upstream.url }, { shutdown: lifecycle.signal }))
    const events = await firstChunk(await fetch(`${gw.url}/api/swap/events`))
    const chatRes = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', body: '{"stream":true}' })
    const chat = await firstChunk(chatRes)

    lifecycle.abort()
    const end = await Promise.race([events.read(), sleep(2000).then(() => 'hung' as const)])
    expect(end).toEqual({ done: true, value: undefined })
    await sleep(50)
    expect(gone).toEqual(['/api/swap/events'])
    // The generation goes on until it ends by itself (or the server's grace period cuts it).
    const stillOpen = await Promise.race([chat.read().then(() => 'data'), sleep(100).then(() => 'open')])
    expect(stillOpen).toBe('open')
    await chat.cancel()
  })

  it('ends a stream that opens after shutdown began', async () => {
    const gone: string[] = []
    const upstream = await track(endlessEvents(gone))
    const lifecycle = new AbortController()
    const gw = await track(startGateway({ 'swap-controller': upstream.url }, { shutdown: lifecycle.signal }))
    lifecycle.abort()
    const res = await fetch(`${gw.url}/api/swap/logs`)
    const text = await Promise.race([res.text(), sleep(2000).then(() => 'hung')])
    expect(text).not.toBe('hung')
  })
})
