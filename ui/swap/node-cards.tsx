/**
 * One card per Spark: GPU load, temperature, power and clock, unified memory and the model cache
 * disk, with sparklines of the recent minutes. Each reading says how old it is, so a node that
 * stopped answering is visible as such rather than frozen at its last good numbers.
 */
import { gib, pct } from './format.ts'
import { SWAP_PATHS } from './paths.ts'
import type { TelemetryView } from './source.ts'
import { Sparkline } from './sparkline.tsx'

type NodeView = TelemetryView['nodes'][number]

const ageS = (at: string | undefined, now: Date) =>
  at ? Math.max(0, (now.getTime() - Date.parse(at)) / 1000) : null

export function NodeCards({ telemetry, now }: { telemetry: TelemetryView | null; now: Date }) {
  return (
    <div id="node-cards" hx-get={SWAP_PATHS.nodes} hx-trigger="every 3s" hx-swap="outerHTML">
      {telemetry === null ? (
        <p class="muted">Node readings are not available right now; retrying.</p>
      ) : (
        <ul class="cards">
          {telemetry.nodes.map((n) => (
            <NodeCard node={n} now={now} staleAfterS={(3 * telemetry.interval_ms) / 1000} />
          ))}
        </ul>
      )}
    </div>
  )
}

function NodeCard({ node: n, now, staleAfterS }: { node: NodeView; now: Date; staleAfterS: number }) {
  const age = ageS(n.gpu?.at ?? n.memory?.at, now)
  const stale = age === null || age > staleAfterS
  const state = !n.configured ? 'not_configured' : stale ? 'stale' : n.errors.length ? 'degraded' : 'up'
  const mem = n.memory
  const throttle = n.gpu?.throttle_reasons?.filter((r) => r !== 'gpu_idle') ?? []
  return (
    <li
      class={`card node-card tone-${state === 'up' ? 'good' : state === 'degraded' ? 'warn' : 'off'}`}
      data-node={n.node}
      data-state={state}
    >
      <div class="card-head">
        <h3 class="card-title">{n.node}</h3>
        <span class="muted">{n.role}</span>
      </div>
      {!n.configured ? <p class="card-detail">No SSH user is set for this node, so it is not read.</p> : null}
      {n.gpu ? (
        <div class="metric" data-metric="gpu">
          <p>
            GPU {pct(n.gpu.utilization_pct)} · {n.gpu.temperature_c ?? '—'} °C · {n.gpu.power_w ?? '—'} W ·{' '}
            {n.gpu.sm_clock_mhz ?? '—'} MHz
          </p>
          <Sparkline
            values={n.history.gpu_util_pct}
            min={0}
            max={100}
            label={`${n.node} GPU load, recent minutes`}
            format={(v) => pct(v)}
          />
          {throttle.length ? <p class="notice notice-warn">Clocks held down: {throttle.join(', ')}</p> : null}
        </div>
      ) : null}
      {mem ? (
        <div class="metric" data-metric="memory">
          <p>
            Memory {gib(mem.used_bytes)} used of {gib(mem.total_bytes)} · {gib(mem.available_bytes)} free
          </p>
          <Sparkline
            values={n.history.memory_available_bytes.map((b) => (b === null ? null : mem.total_bytes - b))}
            min={0}
            max={mem.total_bytes}
            label={`${n.node} memory in use, recent minutes`}
            format={gib}
          />
        </div>
      ) : null}
      {n.disk ? (
        <p class="metric" data-metric="disk">
          Model cache disk {pct(n.disk.used_pct)} full · {gib(n.disk.available_bytes)} free
        </p>
      ) : null}
      {n.errors.map((e) => (
        <p class="card-detail">
          {e.source}: {e.message}
        </p>
      ))}
      <p class="card-meta">
        {age === null ? 'No reading yet' : `Read ${Math.round(age)} s ago${stale ? ' (out of date)' : ''}`}
      </p>
    </li>
  )
}
