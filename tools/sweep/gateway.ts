/**
 * A sweep run through Spark Control's admin API (`POST /api/ops/sweeps` on the gateway, which needs
 * an admin key when keys are on): the swap-controller runs it, saves it and the dashboard shows it;
 * this follows it until it ends. A live cluster needs `--yes-live` here too (sent as `confirm_live`).
 */
import { SweepResult } from '../../shared/contracts/swap-controller.ts'
import type { SweepCliOptions } from './args.ts'
import { RefusedLive } from './direct.ts'

const CALL_TIMEOUT_MS = 30_000
const POLL_MS = 2000

export class GatewayError extends Error {}

async function call(options: SweepCliOptions, path: string, body?: unknown) {
  const headers: Record<string, string> = { accept: 'application/json', 'x-spark-actor': 'sweep-cli' }
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (options.key) headers.authorization = `Bearer ${options.key}`
  let res: Response
  try {
    res = await fetch(`${options.gateway}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    })
  } catch (err) {
    throw new GatewayError(`${options.gateway} did not answer: ${(err as Error).message}`)
  }
  const text = await res.text()
  let parsed: unknown = text
  try {
    parsed = JSON.parse(text)
  } catch {}
  return { status: res.status, body: parsed }
}

const detailOf = (body: unknown) =>
  typeof body === 'object' && body !== null && 'detail' in body
    ? String(body.detail)
    : String(body).slice(0, 300)

export async function sweepThroughGateway(
  options: SweepCliOptions,
  onLevel: (line: string) => void,
): Promise<SweepResult> {
  const started = await call(options, '/api/ops/sweeps', {
    target: options.target,
    levels: options.levels,
    cell_s: options.cellS,
    warmup_s: options.warmupS,
    confirm: true,
    ...(options.yesLive ? { confirm_live: true } : {}),
  })
  if (started.status === 428 && /confirm_live/.test(detailOf(started.body)))
    throw new RefusedLive(`${detailOf(started.body)} (add --yes-live)`)
  if (started.status !== 202)
    throw new GatewayError(`the gateway answered ${started.status}: ${detailOf(started.body)}`)
  let result = SweepResult.parse(started.body)
  const deadline = Date.now() + options.levels.length * (options.cellS + options.warmupS) * 2000 + 120_000
  let shown = 0
  while (result.status === 'running') {
    if (Date.now() > deadline)
      throw new GatewayError(`sweep ${result.id} is still running; see the dashboard`)
    await new Promise((r) => setTimeout(r, POLL_MS))
    const polled = await call(options, `/api/ops/sweeps/${encodeURIComponent(result.id)}`)
    if (polled.status !== 200)
      throw new GatewayError(`the gateway answered ${polled.status}: ${detailOf(polled.body)}`)
    result = SweepResult.parse(polled.body)
    for (const c of result.cells.slice(shown))
      onLevel(
        `  concurrency ${c.concurrency}: ${c.throughput_rps.toFixed(2)} req/s, p95 ${c.p95_ms ?? '—'} ms, ${c.errors} errors`,
      )
    shown = result.cells.length
  }
  return result
}
