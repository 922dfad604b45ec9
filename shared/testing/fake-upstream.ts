/**
 * Fake upstreams for tests: a tiny Hono app served on 127.0.0.1 at a free port. Test-only code.
 */

import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { Hono } from 'hono'

export interface FakeUpstream {
  url: string
  close(): Promise<void>
}

export async function startFake(app: Hono): Promise<FakeUpstream> {
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(s as Server),
    ) as Server
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/** A URL where nothing listens: a port that was just bound and released. */
export async function refusedUrl(): Promise<string> {
  const { Hono } = await import('hono')
  const fake = await startFake(new Hono())
  await fake.close()
  return fake.url
}
