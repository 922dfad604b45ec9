/** A stand-in for the gateway: answers each `METHOD /path` from a table and records what was asked. */
import { CheckFailed } from '../check.ts'
import type { Answer, SmokeClient, SmokeRequest } from '../http.ts'

export type Reply = { status?: number; json: unknown } | { fail: string }

export interface FakeClient extends SmokeClient {
  asked: string[]
  bodies: unknown[]
}

export function fakeClient(routes: Record<string, Reply | ((body: unknown) => Reply)>): FakeClient {
  const asked: string[] = []
  const bodies: unknown[] = []
  return {
    base: 'http://gateway.example',
    asked,
    bodies,
    async request(path: string, init: SmokeRequest = {}): Promise<Answer> {
      const method = init.method ?? (init.json !== undefined || init.form ? 'POST' : 'GET')
      const key = `${method} ${path}`
      asked.push(key)
      bodies.push(init.json)
      const route = routes[key] ?? routes[`${method} ${path.split('?')[0]}`]
      if (!route) throw new CheckFailed(`${key} answered 404 Not Found: no route`)
      const reply = typeof route === 'function' ? route(init.json) : route
      if ('fail' in reply) throw new CheckFailed(reply.fail)
      const bytes = Buffer.from(JSON.stringify(reply.json))
      return {
        status: reply.status ?? 200,
        contentType: 'application/json',
        bytes,
        text: () => bytes.toString('utf8'),
        json: <T>() => reply.json as T,
      }
    },
    close: async () => {},
  }
}
