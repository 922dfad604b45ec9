/**
 * Test helper: asks a service app every route its capabilities list and says what each answered,
 * so a service's tests can check that planned routes are 501 and built ones are not.
 */
import { type Capability, samplePath, splitRoute } from '../capabilities.ts'

export interface RouteAnswer {
  route: string
  status: number
  body: unknown
}

interface Requestable {
  request(path: string, init?: RequestInit): Response | Promise<Response>
}

export async function askRoutes(
  app: Requestable,
  capabilities: readonly Capability[],
  which: 'planned' | 'built',
): Promise<RouteAnswer[]> {
  const answers: RouteAnswer[] = []
  for (const capability of capabilities) {
    for (const route of capability[which]) {
      const { method, path } = splitRoute(route)
      const verb = method === 'ALL' ? 'POST' : method
      const body = verb === 'GET' || verb === 'DELETE' ? undefined : '{}'
      const headers = body ? { 'content-type': 'application/json' } : undefined
      const res = await app.request(samplePath(path), { method: verb, body, headers })
      const text = await res.text()
      answers.push({ route, status: res.status, body: parsed(text) })
    }
  }
  return answers
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
