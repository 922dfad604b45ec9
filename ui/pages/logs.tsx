/**
 * The model's own words: the vLLM container log of every Spark (or one), newest at the bottom,
 * refreshed every two seconds. Service logs of Spark Control itself stay in the service log files.
 * Health-check lines (our own polling) are hidden unless `?health=show` asks for them.
 */
import { type Chrome, Layout } from '../layout/layout.tsx'
import { HEALTH_PARAM } from '../swap/log-filter.ts'
import { SWAP_PATHS } from '../swap/paths.ts'
import type { LogLine } from '../swap/source.ts'

export const LOG_PAGE_LINES = 300

export interface LogsData {
  lines: LogLine[] | null
  nodes: string[]
  node: string | null
  /** Whether health-check lines are shown, and how many were left out when not. */
  health: boolean
  hidden: number
}

export function logsQuery(node: string | null, health: boolean): string {
  const q = new URLSearchParams()
  if (node) q.set('node', node)
  if (health) q.set(HEALTH_PARAM, 'show')
  const s = q.toString()
  return s ? `?${s}` : ''
}

export function LogLines({ data }: { data: LogsData }) {
  if (data.lines === null) return <p class="muted">The logs are not available right now; retrying.</p>
  if (data.lines.length === 0) {
    return (
      <p class="muted" data-hidden-health={String(data.hidden)}>
        {data.hidden > 0
          ? `Only health checks lately (${data.hidden} ${data.hidden === 1 ? 'line' : 'lines'} hidden); the model has written nothing else.`
          : 'No log lines yet: no model container is running.'}
      </p>
    )
  }
  return (
    <pre class="log-view" data-log-lines={String(data.lines.length)} data-hidden-health={String(data.hidden)}>
      {data.lines.map((l) => `${l.node}  ${l.line}`).join('\n')}
    </pre>
  )
}

export function LogsPage({ chrome, data }: { chrome: Chrome; data: LogsData }) {
  return (
    <Layout title="Logs" current="logs" chrome={chrome}>
      <h1>Model logs</h1>
      <p class="help">
        The last {LOG_PAGE_LINES} lines the chat model's container wrote on {data.node ?? 'every Spark'},
        newest at the bottom; this refreshes every two seconds.{' '}
        {data.health
          ? 'Health checks (Spark Control asking the model whether it is up) are shown.'
          : 'Health checks (Spark Control asking the model whether it is up, every few seconds) are hidden.'}
      </p>
      <nav class="filters" aria-label="Which Spark">
        {[null, ...data.nodes].map((n) => (
          <a
            class={n === data.node ? 'button' : 'button button-quiet'}
            href={`${SWAP_PATHS.logs}${logsQuery(n, data.health)}`}
            aria-current={n === data.node ? 'page' : undefined}
          >
            {n ?? 'All Sparks'}
          </a>
        ))}
        <a
          class="button button-quiet log-toggle"
          href={`${SWAP_PATHS.logs}${logsQuery(data.node, !data.health)}`}
          data-action="toggle-health"
        >
          <span aria-hidden="true">{data.health ? '☑' : '☐'}</span> Show health checks
        </a>
      </nav>
      <div
        id="log-lines"
        hx-get={`${SWAP_PATHS.logLines}${logsQuery(data.node, data.health)}`}
        hx-trigger="every 2s"
        hx-swap="innerHTML scroll:#log-lines:bottom"
      >
        <LogLines data={data} />
      </div>
    </Layout>
  )
}
