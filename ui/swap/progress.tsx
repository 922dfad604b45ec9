/**
 * A switch as it happens: the steps done and to come, the load's percentage and time left, the
 * newest log lines, and Cancel. Once it ends, what happened in words, with the log excerpt when it
 * failed. The panel re-fetches itself: every second during a switch, every few seconds otherwise,
 * so a switch started elsewhere (an app, a script) shows up too.
 */

import { CsrfField } from '../components/csrf.tsx'
import type { Notice } from '../components/notice.tsx'
import type { DeliberateStop } from '../components/stopped.ts'
import { aboutDuration, clockUtc, duration, PHASE_LABEL, STATE_STEPS, sumMs } from './format.ts'
import { SWAP_PATHS } from './paths.ts'
import type { JobView, LogLine, SwapStateView } from './source.ts'

export interface ProgressData {
  state: SwapStateView | null
  logs: LogLine[]
  /** A stop made after the last switch: that switch's result is then no longer what runs. */
  stopped?: DeliberateStop | null
}

/**
 * What the last click in this panel came to when it was refused (a 423 lock, a 409 busy). It sits
 * beside the panel, not in it: the panel replaces itself every second or so, and would take the
 * message with it before anyone read it. Action answers replace it out of band (emptied on success).
 */
export function SwapNotice({ notice, oob = false }: { notice: Notice | null; oob?: boolean }) {
  return (
    <div id="swap-notice" hx-swap-oob={oob ? 'true' : undefined}>
      {notice ? (
        <p class={`notice notice-${notice.tone}`} role="alert" data-notice={notice.tone}>
          {notice.text}
        </p>
      ) : null}
    </div>
  )
}

/**
 * What the panel last showed, as a key: which job, and whether it still runs. The panel's own poll
 * URL carries it, so the server can tell when a switch started or ended since (and say
 * `swap-changed`, which the recipe list, the card and the lock notice listen for).
 */
export const progressKey = (state: SwapStateView | null) =>
  state === null ? 'unknown' : state.job ? `${state.job.job_id}:${state.job.outcome}` : 'none'

/**
 * `live={false}`: the panel does not re-fetch itself; the overview's one feed sends it (out of band,
 * `oob`) together with the summary and the card, so they never describe different moments.
 */
export function SwapProgress({
  data,
  live = true,
  oob = false,
}: {
  data: ProgressData
  live?: boolean
  oob?: boolean
}) {
  const job = data.state?.job ?? null
  const running = job?.outcome === 'running'
  const seen = progressKey(data.state)
  return (
    <section
      id="swap-progress"
      class="swap-progress"
      data-swap-state={data.state ? data.state.state : 'unknown'}
      data-outcome={job?.outcome ?? 'none'}
      data-job={job?.job_id ?? ''}
      hx-swap-oob={oob ? 'true' : undefined}
      hx-get={live ? `${SWAP_PATHS.progress}?seen=${encodeURIComponent(seen)}` : undefined}
      hx-trigger={live ? (running ? 'every 1s' : 'every 3s') : undefined}
      hx-swap={live ? 'outerHTML' : undefined}
    >
      {data.state === null ? <p class="muted">The swap controller is not answering; retrying.</p> : null}
      {job && running ? <Running job={job} logs={data.logs} /> : null}
      {job && !running ? <Finished job={job} stopped={data.stopped ?? null} /> : null}
    </section>
  )
}

function Running({ job, logs }: { job: JobView; logs: LogLine[] }) {
  const p = job.progress
  const reached = new Set(job.transitions.map((t) => t.state))
  const rollingBack = job.status === 'rolling-back'
  // Loaded and being checked: nothing is left to cancel, and a countdown at 100 % reads as a contradiction.
  const finishing = !rollingBack && (job.status === 'ready' || (p !== null && p.percent >= 100))
  return (
    <>
      <h2>
        {rollingBack ? `The switch to ${job.recipe} failed — going back` : `Switching to ${job.recipe}`}
      </h2>
      {rollingBack && job.error ? <p class="notice notice-bad">{job.error}</p> : null}
      <ol class="steps">
        {STATE_STEPS.map((s) => {
          const status =
            s.state === job.status ? 'current' : reached.has(s.state as JobView['status']) ? 'done' : 'todo'
          const took = job.durations_ms[s.state]
          return (
            <li
              data-step={s.state}
              data-step-status={status}
              aria-current={status === 'current' ? 'step' : undefined}
            >
              <span aria-hidden="true">{status === 'done' ? '✓' : status === 'current' ? '▶' : '○'}</span>{' '}
              {s.label}
              {status === 'done' && took !== undefined ? (
                <span class="muted"> · {duration(took)}</span>
              ) : null}
            </li>
          )
        })}
      </ol>
      {p ? (
        <div class="load-progress" role="status">
          <progress max={100} value={p.percent} aria-label="Loading progress">
            {Math.round(p.percent)} %
          </progress>
          <p>
            {/* One number: the whole load. The step's own percentage beside it read as a second, contradicting total. */}
            <strong data-percent={p.percent}>{Math.round(p.percent)} % done</strong> · now{' '}
            <span data-phase={p.phase}>{PHASE_LABEL[p.phase] ?? p.phase}</span> ·{' '}
            {finishing
              ? 'almost done'
              : p.eta_s === null
                ? 'time left unknown'
                : `${aboutDuration(p.eta_s)} left`}
          </p>
          {p.stalled ? (
            <p class="notice notice-warn" data-stalled="true">
              This step is taking far longer than it usually does. It may still finish; the log below shows
              what the model is doing.
            </p>
          ) : null}
        </div>
      ) : null}
      <LogTail logs={logs} />
      {finishing ? null : job.cancel_requested ? (
        <p class="muted">Cancelling…</p>
      ) : (
        <form
          method="post"
          action={SWAP_PATHS.cancel}
          hx-post={SWAP_PATHS.cancel}
          hx-target="#swap-progress"
          hx-swap="outerHTML"
        >
          <CsrfField />
          <button type="submit" class="button button-quiet" data-action="cancel">
            Cancel the switch
          </button>
        </form>
      )}
    </>
  )
}

function LogTail({ logs }: { logs: LogLine[] }) {
  if (logs.length === 0) return null
  return (
    <details class="log-tail" open>
      <summary>Newest lines of the model's log</summary>
      <pre data-log-tail="">{logs.map((l) => `${l.node}  ${l.line}`).join('\n')}</pre>
    </details>
  )
}

const EXCERPT_TITLE: Record<JobView['outcome'], string> = {
  ready: "The model's log while it loaded",
  rolled_back: "The model's log when it failed",
  failed: "The model's log when it failed",
  cancelled: "The model's log when the switch was cancelled",
  running: "The model's log",
}

const clock = (iso: string | null) => (iso ? clockUtc(iso, true) : '')

function Finished({ job, stopped }: { job: JobView; stopped: DeliberateStop | null }) {
  const took = duration(sumMs(job.durations_ms))
  const back = job.rollback?.recipe ?? job.from_model ?? 'the previous model'
  const messages: Record<JobView['outcome'], { tone: string; text: string }> = {
    ready: { tone: 'good', text: `Switched to ${job.recipe} at ${clock(job.finished_at)}; it took ${took}.` },
    rolled_back: {
      tone: 'warn',
      text: `The switch to ${job.recipe} failed, so Spark Control went back to ${back}, which is answering again.`,
    },
    failed: {
      tone: 'bad',
      text:
        `The switch to ${job.recipe} failed${job.rollback ? `, and going back to ${back} failed too` : ''}. ` +
        'No chat model may be running; pick one below.',
    },
    cancelled: {
      tone: 'warn',
      text: `The switch to ${job.recipe} was cancelled at ${clock(job.finished_at)}.`,
    },
    running: { tone: 'busy', text: '' },
  }
  const m = messages[job.outcome]
  return (
    <>
      <h2>Last switch</h2>
      <p class={`notice notice-${m.tone}`} data-result={job.outcome}>
        {m.text}
      </p>
      {stopped && job.finished_at && Date.parse(stopped.at) >= Date.parse(job.finished_at) ? (
        <p class="notice" data-stopped-since="">
          Since then {stopped.actor} stopped the model at {clock(stopped.at)}; no chat model is loaded now.
        </p>
      ) : null}
      {job.error ? <p data-error="">What went wrong: {job.error}</p> : null}
      {job.log_excerpt ? (
        <details class="log-tail" open={job.outcome !== 'ready'}>
          <summary>{EXCERPT_TITLE[job.outcome]}</summary>
          <pre data-log-excerpt="">{job.log_excerpt}</pre>
        </details>
      ) : null}
      <p class="muted">
        Started {clock(job.started_at)}
        {job.finished_at ? `, ended ${clock(job.finished_at)}` : ''} · job {job.job_id}
      </p>
    </>
  )
}
