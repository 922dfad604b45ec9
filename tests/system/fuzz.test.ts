/**
 * Whole-API fuzz: every route of the merged OpenAPI document, through the gateway over HTTP, with
 * fast-check cases from a fixed seed (tests/support/fuzz). Categories: valid bodies, wrong types,
 * missing and extra fields, huge and deep JSON, invalid UTF-8, wrong content types, multipart edge
 * cases, traversal and shell metacharacters in every path, query and body field, CR/LF in header
 * values, conflicting framing headers. Asserts no 5xx, no hang, every error in its path's style,
 * and every service alive (same PID) and healthy afterwards, the loaded model untouched.
 *
 * `FUZZ_RUNS=<n>` (default 500 per route) and `FUZZ_SEED=<n>` for more or other cases.
 */
import { describe, expect, it } from 'vitest'
import { cpuSecondsOf } from '../../bench/children.ts'
import { useDemo } from '../support/demo.ts'
import { routesOf } from '../support/fuzz/openapi.ts'
import { type Failure, runFuzz } from '../support/fuzz/runner.ts'

// Per-request log lines cost as much CPU as the requests; warnings and errors still show.
const fixture = useDemo({ name: 'fuzz', env: { LOG_LEVEL: 'warn' } })

const RUNS = Number(process.env.FUZZ_RUNS ?? 500)
const SEED = Number(process.env.FUZZ_SEED ?? 1414)
const IN_FLIGHT = 16

interface Status {
  loaded_model?: string | null
}

const services = () => Object.values(fixture.demo().stack.services)
const loadedModel = async () =>
  ((await (await fetch(fixture.url('/api/status'))).json()) as Status).loaded_model

/** One line per distinct failure (route, category, first words of why), with a sample request. */
function summarize(failures: Failure[]): string[] {
  const seen = new Map<string, { n: number; sample: string }>()
  for (const f of failures) {
    const key = `${f.route} | ${f.category} | ${f.why.slice(0, 120)}`
    const entry = seen.get(key) ?? { n: 0, sample: f.request.slice(0, 300) }
    entry.n++
    seen.set(key, entry)
  }
  return [...seen].map(([key, { n, sample }]) => `${n}× ${key}\n    ${sample}`)
}

describe('fuzzing every published route', () => {
  it(
    `${RUNS} cases per route: no 5xx, no hang, errors in the path's style, nothing crashed`,
    async () => {
      const doc = await (await fetch(fixture.url('/openapi.json'))).json()
      const routes = routesOf(doc)
      expect(routes.length).toBeGreaterThan(50)
      const pids = services().map((s) => s.process.pid!)
      const model = await loadedModel()
      expect(model).toBeTruthy()
      const cpuBefore = await cpuSecondsOf(pids)
      const started = performance.now()

      const report = await runFuzz({
        origin: new URL(fixture.url()),
        routes,
        runsPerRoute: RUNS,
        seed: SEED,
        concurrency: IN_FLIGHT,
      })

      const wallS = (performance.now() - started) / 1000
      const cpuS = (await cpuSecondsOf(pids)) - cpuBefore + process.cpuUsage().user / 1e6
      console.log(
        `fuzz: ${report.cases} cases over ${routes.length} routes in ${wallS.toFixed(0)} s ` +
          `(stack CPU ${cpuS.toFixed(0)} s); per category ${JSON.stringify(report.perCategory)}; ` +
          `statuses ${JSON.stringify(report.statuses)}`,
      )
      expect(report.cases).toBe(routes.length * RUNS)
      expect(summarize(report.failures)).toEqual([])
      for (const service of services()) {
        expect(service.process.exitCode, `${service.name} exited`).toBeNull()
        expect(service.process.pid, `${service.name} was restarted`).toBe(pids[services().indexOf(service)])
        expect((await fetch(`${service.url}/health`)).status, `${service.name} /health`).toBe(200)
      }
      expect(await loadedModel(), 'the fuzz swapped or stopped the model').toBe(model)
    },
    15 * 60_000,
  )

  it('an oversized body gets its 413 and a cross-site form post its 403', async () => {
    const huge = await fetch(fixture.url('/api/swap'), {
      method: 'POST',
      body: 'x'.repeat(11 * 1024 * 1024),
      headers: { 'content-type': 'application/json' },
    })
    expect(huge.status).toBe(413)
    const cross = await fetch(fixture.url('/api/swap'), {
      method: 'POST',
      body: '{}',
      headers: { origin: 'http://elsewhere.example', 'content-type': 'application/json' },
    })
    expect(cross.status).toBe(403)
    expect(((await cross.json()) as { detail: string }).detail).toMatch(/cross-site/i)
  })
})
