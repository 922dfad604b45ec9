/**
 * Mixed load on a running gateway: `connections` clients, each on its own kept-alive connection,
 * send requests back to back for `durationMs`, spread over four routes (status, a streamed chat
 * completion read to its end, embeddings, a small upload to transcription). Reports per route the
 * answers, the error rate and latency percentiles. Used by `npm run bench:load` (1,000 for 60 s)
 * and by tests/system/load-short.test.ts (a few hundred for seconds).
 */
import { performance } from 'node:perf_hooks'
import { Agent, FormData, request } from 'undici'
import { silentWav } from '../tests/support/wav.ts'

export interface RouteFigures {
  route: string
  ok: number
  errors: number
  /** Answers other than 2xx, by status ("net" for a connection error). */
  failures: Record<string, number>
  /** 429 and 503 with Retry-After: admission control turning work away, as documented. */
  shed: number
  errorRate: number
  p50Ms: number
  p95Ms: number
  p99Ms: number
}

interface Mix {
  name: string
  /** Clients kept on this route alone; without it the route shares the other clients in turn. */
  clients?: number
  send(origin: string, dispatcher: Agent): Promise<number | 'shed'>
}

const CLIP = silentWav(0.5)

/** The status, or `shed` for a refusal that tells the client when to come back. */
async function drain(res: {
  statusCode: number
  headers: Record<string, unknown>
  body: { text(): Promise<string> }
}): Promise<number | 'shed'> {
  await res.body.text()
  const refused = res.statusCode === 429 || res.statusCode === 503
  return refused && res.headers['retry-after'] !== undefined ? 'shed' : res.statusCode
}

/** The routes of the mix; `chatModel` is the loaded model (GET /api/status). */
export function mixedRoutes(chatModel: string): Mix[] {
  const json =
    (path: string, body: unknown): Mix['send'] =>
    (origin, dispatcher) =>
      request(`${origin}${path}`, {
        method: 'POST',
        dispatcher,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(drain)
  return [
    { name: 'GET /api/status', send: (o, d) => request(`${o}/api/status`, { dispatcher: d }).then(drain) },
    {
      name: 'POST /v1/chat/completions (stream)',
      send: json('/v1/chat/completions', {
        model: chatModel,
        stream: true,
        max_tokens: 8,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    },
    { name: 'POST /v1/embeddings', send: json('/v1/embeddings', { model: 'bge-m3', input: 'hello load' }) },
    {
      name: 'POST /v1/audio/transcriptions',
      // One address may have 32 speech requests running or waiting (SPEECH_CLIENT_MAX): stay under.
      clients: 16,
      send: (origin, dispatcher) => {
        const form = new FormData()
        form.set('file', new Blob([new Uint8Array(CLIP)], { type: 'audio/wav' }), 'clip.wav')
        form.set('model', 'parakeet')
        return request(`${origin}/v1/audio/transcriptions`, { method: 'POST', dispatcher, body: form }).then(
          drain,
        )
      },
    },
  ]
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

interface Tally {
  latencies: number[]
  failures: Record<string, number>
  shed: number
}

function figures(route: string, t: Tally): RouteFigures {
  const sorted = t.latencies.sort((a, b) => a - b)
  const errors = Object.values(t.failures).reduce((a, b) => a + b, 0)
  return {
    route,
    ok: sorted.length,
    errors,
    failures: t.failures,
    shed: t.shed,
    errorRate: errors / Math.max(1, sorted.length + errors),
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
  }
}

interface LoadOptions {
  origin: string
  connections: number
  durationMs: number
  routes: Mix[]
}

/** For each client, the indexes of the routes it sends to. */
function clientRoutes(options: LoadOptions): number[][] {
  const shared = options.routes.flatMap((r, i) => (r.clients === undefined ? [i] : []))
  const out: number[][] = []
  options.routes.forEach((r, i) => {
    const n = Math.min(r.clients ?? 0, Math.floor(options.connections / 4))
    for (let k = 0; k < n; k++) out.push([i])
  })
  while (out.length < options.connections) out.push(shared)
  return out
}

/** Closed loop: every client sends its next request when its last one is answered. */
export async function runLoad(options: LoadOptions): Promise<RouteFigures[]> {
  const dispatcher = new Agent({ connections: options.connections, pipelining: 1, keepAliveTimeout: 30_000 })
  const tallies = options.routes.map((): Tally => ({ latencies: [], failures: {}, shed: 0 }))
  const end = performance.now() + options.durationMs
  const assigned = clientRoutes(options)
  const client = async (i: number) => {
    const mine = assigned[i]!
    let n = i
    while (performance.now() < end) {
      const which = mine[n++ % mine.length]!
      const tally = tallies[which]!
      const sent = performance.now()
      try {
        const status = await options.routes[which]!.send(options.origin, dispatcher)
        if (status === 'shed') tally.shed++
        else if (status >= 200 && status < 300) tally.latencies.push(performance.now() - sent)
        else tally.failures[status] = (tally.failures[status] ?? 0) + 1
      } catch {
        tally.failures.net = (tally.failures.net ?? 0) + 1
      }
    }
  }
  await Promise.all(Array.from({ length: options.connections }, (_, i) => client(i)))
  await dispatcher.close()
  return options.routes.map((r, i) => figures(r.name, tallies[i]!))
}

export function formatFigures(rows: RouteFigures[]): string {
  const lines = [
    '| route | ok | shed | errors | error rate | p50 ms | p95 ms | p99 ms |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ]
  for (const r of rows) {
    const failures = Object.keys(r.failures).length ? ` ${JSON.stringify(r.failures)}` : ''
    lines.push(
      `| ${r.route} | ${r.ok} | ${r.shed} | ${r.errors}${failures} | ${(r.errorRate * 100).toFixed(2)} % | ${r.p50Ms.toFixed(1)} | ${r.p95Ms.toFixed(1)} | ${r.p99Ms.toFixed(1)} |`,
    )
  }
  return lines.join('\n')
}
