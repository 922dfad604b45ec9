/**
 * The model's own words: the vLLM container log of every Spark (or one), newest at the bottom,
 * refreshed every two seconds. Service logs of Spark Control itself stay in the service log files.
 */
import { type Chrome, Layout } from '../layout/layout.tsx'
import { SWAP_PATHS } from '../swap/paths.ts'
import type { LogLine } from '../swap/source.ts'

export const LOG_PAGE_LINES = 300

export interface LogsData {
  lines: LogLine[] | null
  nodes: string[]
  node: string | null
}

const query = (node: string | null) => (node ? `?node=${encodeURIComponent(node)}` : '')

export function LogLines({ data }: { data: LogsData }) {
  if (data.lines === null) return <p class="muted">The logs are not available right now; retrying.</p>
  if (data.lines.length === 0) return <p class="muted">No log lines yet: no model container is running.</p>
  return <pre class="log-view" data-log-lines={String(data.lines.length)}>{data.lines.map((l) => `${l.node}  ${l.line}`).join('\n')}</pre>
}

export function LogsPage({ chrome, data }: { chrome: Chrome; data: LogsData }) {
  return (
    <Layout title="Logs" current="logs" chrome={chrome}>
      <h1>Model logs</h1>
      <p class="help">
        The last {LOG_PAGE_LINES} lines the chat model's container wrote on {data.node ?? 'every Spark'}, newest at the
        bottom; this refreshes every two seconds. The same lines stream from <code>GET /api/swap/logs</code>.
      </p>
      <nav class="filters" aria-label="Which Spark">
        {[null, ...data.nodes].map((n) => (
          <a class={n === data.node ? 'button' : 'button button-quiet'} href={`${SWAP_PATHS.logs}${query(n)}`} aria-current={n === data.node ? 'page' : undefined}>
            {n ?? 'All Sparks'}
          </a>
        ))}
      </nav>
      <div
        id="log-lines"
        hx-get={`${SWAP_PATHS.logLines}${query(data.node)}`}
        hx-trigger="every 2s"
        hx-swap="innerHTML scroll:#log-lines:bottom"
      >
        <LogLines data={data} />
      </div>
    </Layout>
  )
}
