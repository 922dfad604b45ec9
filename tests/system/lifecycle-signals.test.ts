/**
 * Repeated shutdown signals: the first SIGTERM starts the graceful shutdown, a repeat changes
 * nothing (open chat streams keep their grace period), the third forces the exit. A terminal's
 * Ctrl-C reaches the whole process group and the demo's stop then sends its own SIGTERM, so two
 * signals are the normal case.
 */
import type { ServerResponse } from 'node:http'
import { describe, expect, it } from 'vitest'
import { stopAll } from '../../tools/stack/launch.ts'
import { exitOf, lineWith, standInUpstream, startAlone } from '../support/lifecycle.ts'

/** A chat upstream that streams a tick every 50 ms until the test lets it finish. */
async function tickingChat() {
  const open = new Set<ServerResponse>()
  const upstream = await standInUpstream((req, res) => {
    req.resume()
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    open.add(res)
    let n = 0
    const tick = setInterval(() => res.write(`data: {"tick":${n++}}\n\n`), 50)
    res.once('close', () => {
      clearInterval(tick)
      open.delete(res)
    })
  })
  const finish = () => {
    for (const res of open) res.end('data: [DONE]\n\n')
  }
  return { url: upstream.url, finish }
}

async function openStream(gatewayUrl: string) {
  const res = await fetch(`${gatewayUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
  })
  expect(res.status).toBe(200)
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  let text = ''
  /** Reads until `count` more ticks arrived; 'ended' or 'cut' when the stream stops first. */
  const ticks = async (count: number): Promise<'ok' | 'ended' | 'cut'> => {
    const target = (text.match(/"tick"/g)?.length ?? 0) + count
    while ((text.match(/"tick"/g)?.length ?? 0) < target) {
      const chunk = await reader.read().catch(() => null)
      if (chunk === null) return 'cut'
      if (chunk.done) return 'ended'
      text += decoder.decode(chunk.value, { stream: true })
    }
    return 'ok'
  }
  const rest = async () => {
    for (;;) {
      const chunk = await reader.read().catch(() => null)
      if (chunk === null) return { text, end: 'cut' as const }
      if (chunk.done) return { text, end: 'ended' as const }
      text += decoder.decode(chunk.value, { stream: true })
    }
  }
  return { ticks, rest }
}

describe('a repeated shutdown signal', () => {
  it('changes nothing: the open chat stream runs on to its end and the gateway exits 0', async () => {
    const chat = await tickingChat()
    const gateway = await startAlone('gateway', { SWAP_CONTROLLER_URL: chat.url })
    const stream = await openStream(gateway.url)
    expect(await stream.ticks(1)).toBe('ok')

    // What the demo's stop does after a Ctrl-C: the terminal's SIGINT reaches the whole process
    // group, then the demo sends each service its own SIGTERM.
    const exited = exitOf(gateway.process)
    gateway.process.kill('SIGINT')
    await lineWith(gateway, 'shutting down')
    const stopped = stopAll([gateway])
    await lineWith(gateway, 'already shutting down')
    expect(await stream.ticks(4), 'the stream goes on after the second signal').toBe('ok')

    chat.finish()
    const { text, end } = await stream.rest()
    expect(end).toBe('ended')
    expect(text).toContain('data: [DONE]')
    const { code, ms } = await exited
    expect(code).toBe(0)
    expect(ms).toBeLessThan(10_000)
    await stopped
  })

  it('the third signal forces the exit at once, logged', async () => {
    const chat = await tickingChat()
    const gateway = await startAlone('gateway', { SWAP_CONTROLLER_URL: chat.url })
    const stream = await openStream(gateway.url)
    expect(await stream.ticks(1)).toBe('ok')

    const exited = exitOf(gateway.process)
    gateway.process.kill('SIGINT')
    await lineWith(gateway, 'shutting down')
    gateway.process.kill('SIGTERM')
    gateway.process.kill('SIGINT')
    const { code, ms } = await exited
    expect(code).toBe(1)
    // Well inside the 5 s the stream would otherwise have been given.
    expect(ms).toBeLessThan(4000)
    expect(gateway.output.some((l) => l.includes('shutdown forced by a repeated signal'))).toBe(true)
  })
})
