/**
 * The top of the overview: is everything working, which chat model is loaded, what is busy.
 * It sits in the page's polite live region, so the stream only re-sends it when it changes.
 */
import type { ClusterStatus } from '../../shared/contracts/gateway.ts'
import type { StatusView } from '../status-source.ts'
import { clockUtc } from '../swap/format.ts'
import { NotBuiltLine } from './capabilities.tsx'
import { overallLook, upstreamTitle } from './labels.ts'
import { type DeliberateStop, onlyTheStop, stopApplies, stoppedWords as wordsOf } from './stopped.ts'

const SWITCHING_LOOK = { label: 'Switching models', icon: '⟳', tone: 'busy' }

export const STATUS_ERROR_TEXT = "Cannot reach the gateway's status — retrying"

export const stoppedWords = (s: DeliberateStop) => wordsOf(s, (iso) => clockUtc(iso))

export function StatusSummary(props: {
  view: StatusView
  simulated: boolean
  stopped?: DeliberateStop | null
}) {
  const { view, simulated } = props
  if (!view.ok) return <StatusError />
  const { status } = view
  const stopped = stopApplies(status, props.stopped) ? props.stopped : null
  // Stopped on purpose and nothing else wrong: a choice someone made, said without alarm.
  const calm = stopped !== null && onlyTheStop(status)
  // The gateway's word on a switch wins: one state for the whole page, from the first step to the last.
  const switching = status.overall === 'ok' ? (status.switching ?? null) : null
  const look =
    switching !== null || (calm && stopped.switchingTo)
      ? SWITCHING_LOOK
      : !calm
        ? overallLook(status.overall)
        : { label: 'No chat model', icon: '○', tone: 'off' }
  const summary = switching
    ? switchingSentence(switching)
    : !calm
      ? status.summary
      : stopped.switchingTo
        ? `Switching the chat model to ${stopped.switchingTo} (started ${clockUtc(stopped.at)})`
        : `No chat model is loaded (${stoppedWords(stopped)})`
  return (
    <div class="summary-block">
      <div
        class={`summary tone-${look.tone}`}
        data-overall={status.overall}
        data-stopped={calm ? 'true' : undefined}
      >
        <span class="summary-icon" aria-hidden="true">
          {look.icon}
        </span>
        <div>
          <p class="summary-label">
            {look.label}
            {simulated || status.simulated ? (
              <>
                {' '}
                <span class="sim-tag">simulated cluster</span>
              </>
            ) : null}
          </p>
          <p class="summary-text" data-summary>
            {summary}
          </p>
        </div>
      </div>
      {calm ? null : <ModelLine model={status.loaded_model} stopped={stopped} />}
      <BusyLine status={status} />
      <NotBuiltLine status={status} />
    </div>
  )
}

/**
 * Said here rather than taken from the gateway's summary, whose "(about 40 s left)" comes from
 * another read than the progress panel's countdown below it: one page, one countdown.
 */
function switchingSentence(switching: NonNullable<ClusterStatus['switching']>): string {
  if (switching.status === 'rolling-back') return `Going back from ${switching.model}`
  return `Switching the chat model to ${switching.model} (started ${clockUtc(switching.started_at)})`
}

function ModelLine({ model, stopped }: { model: string | null; stopped: DeliberateStop | null }) {
  if (!model) {
    return (
      <p class="model model-none" data-model="">
        No chat model loaded{stopped ? ` (${stoppedWords(stopped)})` : ''}
      </p>
    )
  }
  return (
    <p class="model" data-model={model}>
      Chat model: <strong>{model}</strong>
    </p>
  )
}

/** The third question the owner asks: what is the cluster busy with right now. */
function BusyLine({ status }: { status: ClusterStatus }) {
  const busy = status.upstreams.filter((u) => u.state === 'busy' && !u.disabled)
  const busyNodes = status.nodes.filter((n) => n.state === 'busy')
  const switching = status.switching ?? null
  if (busy.length === 0 && busyNodes.length === 0 && !switching)
    return <p class="busy-line">Nothing is busy right now.</p>
  return (
    <ul class="busy-line" aria-label="Busy right now">
      {switching ? (
        <li data-busy="switch">
          <strong>Chat is switching models</strong>: to {switching.model}, started{' '}
          {clockUtc(switching.started_at)}
        </li>
      ) : null}
      {busy.map((u) => (
        <li>
          <strong>{upstreamTitle(u.name)} is busy</strong>
          {u.detail ? `: ${u.detail}` : ''}
        </li>
      ))}
      {busyNodes.map((n) => (
        <li>
          <strong>{n.name} is busy</strong>
          {n.detail ? `: ${n.detail}` : ''}
        </li>
      ))}
    </ul>
  )
}

export function StatusError() {
  return (
    <div class="summary-block">
      <div class="summary tone-bad" data-overall="unreachable">
        <span class="summary-icon" aria-hidden="true">
          ✕
        </span>
        <div>
          <p class="summary-label">Status unknown</p>
          <p class="summary-text" data-summary>
            {STATUS_ERROR_TEXT}
          </p>
        </div>
      </div>
      <p class="help">
        This page keeps trying on its own. If this message stays for more than a minute, restart Spark Control
        from StartOS.
      </p>
    </div>
  )
}
