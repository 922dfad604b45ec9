import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { checkReady } from './ready'

const servers: Server[] = []

async function serve(status: number): Promise<string> {
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/ready' ? status : 404).end('{}')
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/ready`
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return `http://127.0.0.1:${port}/ready`
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))))
})

describe('checkReady', () => {
  it('is success on a 200 from /ready', async () => {
    expect((await checkReady(await serve(200))).result).toBe('success')
  })

  it('is loading, not success, on a 503 (the SDK check would call any answer healthy)', async () => {
    const url = await serve(503)
    expect(await checkReady(url)).toEqual({ result: 'loading', message: expect.stringContaining('503') })
  })

  it('is failure when nothing listens', async () => {
    const url = await closedPort()
    expect(await checkReady(url)).toEqual({ result: 'failure', message: expect.stringContaining(url) })
  })

  it('is failure when the service does not answer in time', async () => {
    const server = createServer(() => {}) // never answers
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ready`
    expect((await checkReady(url, 100)).result).toBe('failure')
  })
})
