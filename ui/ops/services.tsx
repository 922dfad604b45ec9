/**
 * The Spark service containers, one card each: state, uptime, restarts, memory against its cap,
 * the last health check and automatic restarts, with a Restart button that asks first. The cards
 * poll their own fragment, so they stay current; the question sits outside them and survives it.
 */
import { OPS_PATHS, opsPageUrl, SERVICES_POLL_S } from './paths.ts'
import { Pill, ProblemBox } from './problem.tsx'
import type { Part } from './read.ts'
import type { OpsServicesAnswer, ServiceContainerView } from './source.ts'
import {
  autoEntryWords,
  autoRestartWords,
  containerStateWords,
  healthWords,
  memoryWords,
  pillLook,
  restartsWords,
  uptimeWords,
} from './words.ts'

function ServiceCard(props: { v: ServiceContainerView; answer: OpsServicesAnswer; now: Date }) {
  const { v, answer, now } = props
  const recent = answer.auto_restart.recent.filter((e) => e.service === v.name).slice(0, 3)
  const confirmUrl = `${OPS_PATHS.restartConfirm}?service=${encodeURIComponent(v.name)}`
  return (
    <article
      class={`card tone-${pillLook(v.pill).tone}`}
      data-service={v.name}
      data-state={v.state}
      data-pill={v.pill}
    >
      <div class="card-head">
        <h3 class="card-title">
          {v.name} {answer.simulated ? <span class="sim-tag">simulated</span> : null}
        </h3>
        <Pill look={pillLook(v.pill)} data={v.pill} />
      </div>
      <dl class="readings">
        <dt>Where</dt>
        <dd>
          container <code>{v.container}</code> on {v.node}
          {v.port === null ? '' : `, port ${v.port}`}
        </dd>
        <dt>State</dt>
        <dd data-field="state">
          {containerStateWords(v.state)}
          {v.state === 'running' ? `, ${uptimeWords(v)}` : ''}
        </dd>
        <dt>Restarts</dt>
        <dd data-field="restarts">{restartsWords(v.restarts)}</dd>
        <dt>Memory</dt>
        <dd data-field="memory">{memoryWords(v)}</dd>
        <dt>Health</dt>
        <dd data-field="health">{healthWords(v.health, now)}</dd>
        <dt>Automatic restart</dt>
        <dd data-field="auto-restart">
          {autoRestartWords(v, answer.auto_restart)}
          {recent.length ? (
            <ul>
              {recent.map((e) => (
                <li data-auto-outcome={e.outcome}>{autoEntryWords(e, now)}</li>
              ))}
            </ul>
          ) : null}
        </dd>
      </dl>
      {v.error ? <p class="notice notice-warn">{v.error}</p> : null}
      <p class="card-meta">
        <a
          class="button"
          href={opsPageUrl({ restart: v.name })}
          hx-get={confirmUrl}
          hx-target="#ops-restart-confirm"
          hx-swap="innerHTML"
          data-action="restart"
          data-service={v.name}
        >
          Restart…
        </a>
      </p>
    </article>
  )
}

/** The service cards (or why they cannot be shown), polling their own fragment. */
export function ServicesPanel(props: { part: Part<OpsServicesAnswer>; now: Date; oob?: boolean }) {
  const { part, now } = props
  const shown = part.ok ? part.value.services.filter((s) => !s.disabled) : []
  const hidden = part.ok ? part.value.services.filter((s) => s.disabled).map((s) => s.name) : []
  return (
    <div
      id="ops-services"
      hx-get={OPS_PATHS.services}
      hx-trigger={`every ${SERVICES_POLL_S}s`}
      hx-swap="outerHTML"
      hx-swap-oob={props.oob ? 'true' : undefined}
      data-read={part.ok ? 'ok' : part.problem.kind}
    >
      {!part.ok ? <ProblemBox problem={part.problem} /> : null}
      {part.ok && shown.length === 0 ? (
        <p class="empty">No Spark service containers are configured.</p>
      ) : null}
      {part.ok ? (
        <div class="cards">
          {shown.map((v) => (
            <ServiceCard v={v} answer={part.value} now={now} />
          ))}
        </div>
      ) : null}
      {hidden.length ? <p class="muted">Hidden by DISABLED_SERVICES: {hidden.join(', ')}.</p> : null}
    </div>
  )
}
