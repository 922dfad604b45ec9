/**
 * Runs fuzz cases against a server with a fixed number in flight, and tallies them per category
 * and per route. Cases are drawn with `fc.sample` from a fixed seed, so a failure replays.
 */
import fc from 'fast-check'
import { CATEGORIES, type Category, casesFor, type FuzzCase } from './cases.ts'
import type { Route } from './openapi.ts'
import { sendRaw } from './raw-http.ts'
import { judge } from './verdict.ts'

/** A hang is no answer within this; generous, as audio routes probe each upload with ffprobe. */
const ANSWER_WITHIN_MS = 45_000

export interface Failure {
  route: string
  category: Category
  request: string
  why: string
}

interface FuzzReport {
  cases: number
  perCategory: Record<Category, number>
  statuses: Record<number, number>
  failures: Failure[]
  /** Time spent per route (sum over its cases), to see where the run's time goes. */
  msPerRoute: Record<string, number>
}

interface FuzzOptions {
  origin: URL
  routes: Route[]
  runsPerRoute: number
  seed: number
  concurrency: number
}

function describe(fuzz: FuzzCase): string {
  const head = `${fuzz.request.method} ${fuzz.request.target.slice(0, 160)}`
  const headers = fuzz.request.headers.map(([n, v]) => `${n}: ${JSON.stringify(v.slice(0, 60))}`).join('; ')
  return `${head} [${headers}] body ${fuzz.request.body?.length ?? 0} B: ${fuzz.request.body?.subarray(0, 120).toString('latin1') ?? ''}`
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const report: FuzzReport = {
    cases: 0,
    perCategory: Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>,
    statuses: {},
    failures: [],
    msPerRoute: {},
  }
  const jobs = options.routes.flatMap((route, i) =>
    fc
      .sample(casesFor(route), { seed: options.seed + i, numRuns: options.runsPerRoute })
      .map((fuzz) => ({ route: `${route.method} ${route.template}`, fuzz })),
  )
  let next = 0
  const worker = async () => {
    while (next < jobs.length) {
      const { route, fuzz } = jobs[next++]!
      const started = performance.now()
      const why = await sendRaw(options.origin, fuzz.request, ANSWER_WITHIN_MS).then(
        (answer) => {
          report.statuses[answer.status] = (report.statuses[answer.status] ?? 0) + 1
          return judge(fuzz, answer)
        },
        (err: Error) => err.message,
      )
      report.cases++
      report.msPerRoute[route] = (report.msPerRoute[route] ?? 0) + performance.now() - started
      report.perCategory[fuzz.category]++
      if (why) report.failures.push({ route, category: fuzz.category, request: describe(fuzz), why })
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, worker))
  return report
}
