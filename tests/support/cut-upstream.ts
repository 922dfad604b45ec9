/**
 * A loopback upstream for the fault suite whose failure is switched at run time:
 *
 * - `cut`  — answers `200` with the given content type and its first chunk, then destroys the socket
 *            once that chunk has left: a vLLM, Kokoro or cloud API killed mid-answer.
 * - `hang` — accepts the connection and the request and never answers: a wedged process.
 *
 * `requests` counts what came in, so a test can tell the service really called it.
 */
import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type CutMode = 'cut' | 'hang'

export interface CutUpstream {
  readonly url: string
  setMode(mode: CutMode): void
  requests(): number
  close(): Promise<void>
}

export async function startCutUpstream(
  contentType: string,
  firstChunk: string | Uint8Array,
): Promise<CutUpstream> {
  let count = 0
  let mode: CutMode = 'cut'
  const held = new Set<ServerResponse>()
  const server: Server = createServer((req, res) => {
    count++
    req.resume()
    if (mode === 'hang') return void held.add(res)
    req.once('end', () => {
      res.writeHead(200, { 'content-type': contentType })
      res.write(firstChunk, () => res.destroy())
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setMode: (next) => {
      mode = next
    },
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
