/**
 * One card per service, per upstream and per Spark node: name, state (symbol + word + colour),
 * the plain-language detail and when it was last checked. Re-sent on every tick of the stream.
 */
import type {
  ClusterStatus,
  NodeStatus,
  ServiceStatus,
  UpstreamStatus,
} from '../../shared/contracts/gateway.ts'
import type { StatusView } from '../status-source.ts'
import { clockUtc } from '../swap/format.ts'
import { CapabilityList, servesNothingYet, unusedUpstreamNote } from './capabilities.tsx'
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

/**
 * With the model stopped on purpose, a service whose only trouble is the missing model is working;
 * one that answers but serves nothing built yet is "Not built yet", not "Up".
 */
function serviceState(s: ServiceStatus, status: ClusterStatus, stopped: DeliberateStop | null): string {
  if (stopped && serviceOnlyMissesModel(s)) return 'up'
  if (s.state === 'up' && servesNothingYet(status, s.name)) return 'not_built'
  return s.state
}

const serviceCard = (s: ServiceStatus, status: ClusterStatus, now: Date, stopped: DeliberateStop | null) => (
  <Card
    id={`service:${s.name}`}
    title={serviceTitle(s.name)}
    subtitle={s.latency_ms === null ? s.name : `${s.name} · answered in ${s.latency_ms} ms`}
    state={serviceState(s, status, stopped)}
    detail={
      stopped && serviceOnlyMissesModel(s)
        ? stopped.switchingTo
          ? 'Working. The chat model is being switched.'
          : 'Working. No chat model is loaded (stopped on purpose).'
        : s.detail
    }
    checkedAt={status.checked_at}
    now={now}
  />
)

const upstreamCard = (
  u: UpstreamStatus,
  status: ClusterStatus,
  now: Date,
  stopped: DeliberateStop | null,
) => {
  const off = stopped !== null && u.name === 'vllm' && !u.disabled && u.state === 'down'
  const unused = u.disabled ? null : unusedUpstreamNote(status, u.name)
  const extra = [u.model ? `Serving ${u.model}` : null, unused].filter(Boolean).join(' · ')
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
      extra={extra || undefined}
      checkedAt={status.checked_at}
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
  const switchingTo = status.switching?.model ?? stopped?.switchingTo ?? null
  const away = switchingTo ? { switchingTo } : stopped
  return (
    <>
      <CapabilityList status={status} away={away} />
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
        <ul class="cards">{status.upstreams.map((u) => upstreamCard(u, status, now, stopped))}</ul>
      </section>
      <section class="group" aria-labelledby="g-services">
        <h2 id="g-services">Spark Control services</h2>
        <ul class="cards">{status.services.map((s) => serviceCard(s, status, now, stopped))}</ul>
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
