import { createServer } from 'node:net'
import { sleep } from '../../shared/abort.ts'

/** Asks the kernel for a free loopback port. Used by the demo and tests to lay out a stack. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, host, () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** Resolves when something accepts HTTP on `url` + `/health`, or rejects after `timeoutMs`. */
export async function waitForHealth(
  url: string,
  timeoutMs = 30_000,
  isAlive: () => boolean = () => true,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let lastError = ''
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`process for ${url} exited before it became healthy`)
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) })
      if (res.ok) return
      lastError = `status ${res.status}`
    } catch (err) {
      lastError = (err as Error).message
    }
    await sleep(100)
  }
  throw new Error(`${url} did not become healthy within ${timeoutMs} ms (${lastError})`)
}
