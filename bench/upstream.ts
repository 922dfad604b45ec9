/**
 * The benchmark's upstream, run as its own process (forked by run.ts) so it shares an event loop
 * with neither the proxy under test nor the load generator. Every path answers a small JSON body
 * after reading the request body; `?sse=<events>&ms=<interval>` answers an event stream instead,
 * each event carrying the moment it was written (`process.hrtime.bigint()`: CLOCK_MONOTONIC on
 * Linux, the same clock in every process) so the client can measure per-chunk delay.
 * Listens on 127.0.0.1 only and reports its port to the parent over IPC.
 */
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** About the size of a short, non-streamed chat completion. */
const JSON_BODY = Buffer.from(
  JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: 0,
    model: 'bench',
    choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
  }),
)
const JSON_HEADERS = { 'content-type': 'application/json', 'content-length': String(JSON_BODY.length) }

const MAX_EVENTS = 10_000
const MAX_INTERVAL_MS = 1000

function streamEvents(res: ServerResponse, events: number, intervalMs: number) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  let sent = 0
  const timer = setInterval(() => {
    if (sent >= events) {
      clearInterval(timer)
      res.end('data: [DONE]\n\n')
      return
    }
    res.write(`data: {"i":${sent},"t":"${process.hrtime.bigint()}"}\n\n`)
    sent++
  }, intervalMs)
  res.on('close', () => clearInterval(timer))
}

const server = createServer((req, res) => {
  const url = req.url ?? '/'
  req.resume()
  req.once('end', () => {
    const q = url.indexOf('?')
    const params = q === -1 ? null : new URLSearchParams(url.slice(q + 1))
    const events = Number(params?.get('sse') ?? Number.NaN)
    if (Number.isInteger(events) && events > 0) {
      const ms = Math.min(MAX_INTERVAL_MS, Math.max(1, Number(params?.get('ms') ?? 10) || 10))
      streamEvents(res, Math.min(events, MAX_EVENTS), ms)
      return
    }
    res.writeHead(200, JSON_HEADERS)
    res.end(JSON_BODY)
  })
})
server.keepAliveTimeout = 65_000

server.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'ready', port: (server.address() as AddressInfo).port })
})

// The parent going away (even by SIGKILL) closes the IPC channel: stop with it.
process.on('disconnect', () => process.exit(0))
