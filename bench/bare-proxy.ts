/**
 * The least a reverse proxy built like the gateway can cost: node:http in front, an undici pool
 * behind, and nothing else — no routing, limits, request ids, forwarded headers, metrics or error
 * handling. Not something to deploy; the benchmark's floor for "a proxy in Node", so the gateway's
 * own share of its cost (gateway minus this) and the runtime's share (this minus nginx) can be told
 * apart. Forked by run.ts with the upstream's origin; reports its port over IPC.
 */
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type Dispatcher, Pool } from 'undici'

const pool = new Pool(process.argv[2]!, { connections: 512, pipelining: 1, keepAliveTimeout: 30_000 })
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host'])

function requestHeaders(req: IncomingMessage): string[] {
  const out: string[] = []
  const raw = req.rawHeaders
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase()
    if (!HOP.has(name)) out.push(name, raw[i + 1]!)
  }
  return out
}

const server = createServer((req, res) => {
  const handler: Dispatcher.DispatchHandler = {
    onRequestStart() {},
    onResponseStart(controller, status, headers) {
      for (const name of HOP) delete headers[name]
      res.writeHead(status, headers)
      res.on('drain', () => controller.resume())
    },
    onResponseData(controller, chunk) {
      if (!res.write(chunk)) controller.pause()
    },
    onResponseEnd() {
      res.end()
    },
    onResponseError() {
      if (res.headersSent) res.destroy()
      else res.writeHead(502).end()
    },
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
  pool.dispatch(
    {
      path: req.url ?? '/',
      method: req.method as Dispatcher.HttpMethod,
      headers: requestHeaders(req),
      body: hasBody ? req : null,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    },
    handler,
  )
})
server.keepAliveTimeout = 65_000

server.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'ready', port: (server.address() as AddressInfo).port })
})
process.on('disconnect', () => process.exit(0))
