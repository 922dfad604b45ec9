/**
 * One card per service, per upstream and per Spark node: name, state (symbol + word + colour),
 * the plain-language detail and when it was last checked. Re-sent on every tick of the stream.
 */
import type {
  ClusterStatus,
  NodeStatus,
  ServiceStatus,
  UpstreamStatus,
} from '../../services/gateway/domain/cluster-status.ts'
import type { StatusView } from '../status-source.ts'
import { clockUtc } from '../swap/format.ts'
import { ago, type CardState, isStale, lookOf, serviceTitle, upstreamTitle } from './labels.ts'
import { type DeliberateStop, serviceOnlyMissesModel, stopApplies } from './stopped.ts'

/**
 * The services' details are built for logs and the API ("…; retry in 5 s.", "Working, but The chat
 * model server is down."); on a card they read as operator sentences.
 */
export function operatorDetail(detail: string): string {
  return detail
    .replace(
      /^(.+?) is not reachable; retry in \d+ s\.?$/,
      'Not answering right now; Spark Control keeps checking.',
    )
    .replace(/; retry in \d+ s\.?$/, '; Spark Control keeps checking.')
    .replace(
      /^(Working, but |Answers, but cannot serve: )(The|A|An) /,
      (_, lead: string, w: string) => `${lead}${w.toLowerCase()} `,
    )
}

interface CardProps {
  id: string
  title: string
  subtitle: string
  state: CardState | string
  detail: string
  checkedAt: string
  now: Date
  extra?: string
}

function Card({ id, title, subtitle, state, detail, checkedAt, now, extra }: CardProps) {
  const look = lookOf(state)
  const stale = isStale(checkedAt, now)
  return (
    <li class={`card tone-${look.tone}`} data-card={id} data-state={state}>
      <div class="card-head">
        <h3 class="card-title">{title}</h3>
        <span class="badge">
          <span aria-hidden="true">{look.icon}</span> {look.label}
        </span>
      </div>
      {detail ? <p class="card-detail">{operatorDetail(detail)}</p> : null}
      {extra ? <p class="card-extra">{extra}</p> : null}
      <p class="card-meta">
        <span>{subtitle}</span>
        <span>
          Checked{' '}
          <time datetime={checkedAt} title={checkedAt}>
            {ago(checkedAt, now)}
          </time>
          {stale ? ' (may be out of date)' : ''}
        </span>
      </p>
    </li>
  )
}

// With the model stopped on purpose, a service whose only trouble is the missing model is working.
const serviceCard = (s: ServiceStatus, checkedAt: string, now: Date, stopped: DeliberateStop | null) => (
  <Card
    id={`service:${s.name}`}
    title={serviceTitle(s.name)}
    subtitle={s.latency_ms === null ? s.name : `${s.name} · answered in ${s.latency_ms} ms`}
    state={stopped && serviceOnlyMissesModel(s) ? 'up' : s.state}
    detail={
      stopped && serviceOnlyMissesModel(s)
        ? stopped.switchingTo
          ? 'Working. The chat model is being switched.'
          : 'Working. No chat model is loaded (stopped on purpose).'
        : s.detail
    }
    checkedAt={checkedAt}
    now={now}
  />
)

const upstreamCard = (u: UpstreamStatus, checkedAt: string, now: Date, stopped: DeliberateStop | null) => {
  const off = stopped !== null && u.name === 'vllm' && !u.disabled && u.state === 'down'
  return (
    <Card
      id={`upstream:${u.name}`}
      title={upstreamTitle(u.name)}
      subtitle={`${u.name} · reported by ${u.via}`}
      state={u.disabled ? 'disabled' : off ? (stopped.switchingTo ? 'busy' : 'stopped') : u.state}
      detail={
        u.disabled
          ? 'Turned off in the settings.'
          : off && stopped.switchingTo
            ? `Switching to ${stopped.switchingTo} (started ${clockUtc(stopped.at)}); it answers again once that model is loaded.`
            : off
              ? `Stopped on purpose by ${stopped.actor} at ${clockUtc(stopped.at)}. Pick a model on the Swap page to start one.`
              : u.detail
      }
      extra={u.model ? `Serving ${u.model}` : undefined}
      checkedAt={checkedAt}
      now={now}
    />
  )
}

/** An unreachable node is down, whatever its last reported state, unless it is simply not set up. */
function nodeState(n: NodeStatus): string {
  if (n.reachable || n.state === 'not_configured' || n.state === 'disabled') return n.state
  return 'down'
}

const nodeCard = (n: NodeStatus, checkedAt: string, now: Date) => (
  <Card
    id={`node:${n.name}`}
    title={n.name}
    subtitle={`${n.role} · ${n.host}`}
    state={nodeState(n)}
    detail={n.detail || (n.reachable ? 'Reachable.' : 'Not reachable.')}
    checkedAt={checkedAt}
    now={now}
  />
)

function CardGroups({
  status,
  now,
  stopped: given,
}: {
  status: ClusterStatus
  now: Date
  stopped?: DeliberateStop | null
}) {
  const at = status.checked_at
  const stopped = stopApplies(status, given) ? given : null
  return (
    <>
      <section class="group" aria-labelledby="g-nodes">
        <h2 id="g-nodes">Spark boxes</h2>
        {status.nodes.length ? (
          <ul class="cards">{status.nodes.map((n) => nodeCard(n, at, now))}</ul>
        ) : (
          <p class="empty">No Spark boxes are set up yet.</p>
        )}
      </section>
      <section class="group" aria-labelledby="g-upstreams">
        <h2 id="g-upstreams">Model and speech servers on the Sparks</h2>
        <ul class="cards">{status.upstreams.map((u) => upstreamCard(u, at, now, stopped))}</ul>
      </section>
      <section class="group" aria-labelledby="g-services">
        <h2 id="g-services">Spark Control services</h2>
        <ul class="cards">{status.services.map((s) => serviceCard(s, at, now, stopped))}</ul>
      </section>
    </>
  )
}

export function StatusCards({
  view,
  now,
  stopped,
}: {
  view: StatusView
  now: Date
  stopped?: DeliberateStop | null
}) {
  if (view.ok) return <CardGroups status={view.status} now={now} stopped={stopped} />
  if (!view.lastGood) return <p class="empty">Nothing to show until the gateway answers.</p>
  return (
    <>
      <p class="notice notice-warn" role="note">
        Below is the last known state, checked {ago(view.lastGood.checked_at, now)}. It may be out of date.
      </p>
      {/* Greyed out so old "Up" badges do not read as current good news. */}
      <div class="stale">
        <CardGroups status={view.lastGood} now={now} />
      </div>
    </>
  )
}
