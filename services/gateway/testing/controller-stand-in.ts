/**
 * A swap-controller stand-in for the dashboard sources' tests: a real node:http server on
 * 127.0.0.1:0 that records each request and answers with the test's handler, closed after each test.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach } from 'vitest'

export interface Seen {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

export type Handler = (req: Seen, res: ServerResponse) => void

export const json = (res: ServerResponse, status: number, body: unknown, type = 'application/json') => {
  res.writeHead(status, { 'content-type': type })
  res.end(JSON.stringify(body))
}

/** Call once per test file: returns `start(handler, makeSource)`. */
export function useControllerStandIn() {
  const cleanups: Array<() => Promise<void>> = []
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!()
  })
  return async function start<S extends { close(): Promise<void> }>(
    handler: Handler,
    makeSource: (baseUrl: string) => S,
  ) {
    const seen: Seen[] = []
    const server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const s = {
          method: req.method!,
          url: req.url!,
          headers: req.headers,
          body: Buffer.concat(chunks).toString(),
        }
        seen.push(s)
        handler(s, res)
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    const source = makeSource(`http://127.0.0.1:${port}/`)
    cleanups.push(async () => {
      await source.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    })
    return { seen, source, port }
  }
}

/** A port nothing listens on (it was free a moment ago): for "the controller is not there". */
export async function closedPort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  return port
}
