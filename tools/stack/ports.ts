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

/**
 * A free port below the kernel's ephemeral range (32768+ on Linux), for a listener that comes and
 * goes, such as the simulated vLLM between two models. A port from `freePort` is ephemeral: while
 * its listener is down, any other process binding port 0 (a parallel test's server) can be given
 * it, and the swap then sees someone else's server on the vLLM port.
 */
export async function comeAndGoPort(host = '127.0.0.1', random: () => number = Math.random): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(random() * 12_000)
    if (await bindable(port, host)) return port
  }
  throw new Error('no free port between 20000 and 32000')
}

function bindable(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.unref()
    server.once('error', () => resolve(false))
    server.listen(port, host, () => server.close(() => resolve(true)))
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
