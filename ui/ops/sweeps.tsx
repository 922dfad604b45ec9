/**
 * The concurrency sweeps: per target the latest result (a table of levels with the knee marked,
 * the recommended limit with its setting and reason) and a running sweep's progress, which polls
 * its fragment while one runs; and the form that starts one, after a question that says what it
 * loads (on real Sparks, an explicit "this loads the GPU").
 */

import { ConfirmForm, DismissLink } from '../components/confirm-actions.tsx'
import { exactTime } from '../connectivity/words.ts'
import { OPS_PATHS, opsPageUrl, SWEEP_POLL_S } from './paths.ts'
import { ProblemBox } from './problem.tsx'
import type { Part } from './read.ts'
import { SWEEP_LEVELS, type SweepResult, type SweepTarget } from './source.ts'
import {
  anyRunning,
  kneeRows,
  latestPerTarget,
  progressWords,
  recommendationWords,
  SWEEP_TARGETS,
  TARGETS,
} from './sweep-words.ts'

function KneeTable({ sweep }: { sweep: SweepResult }) {
  const rows = kneeRows(sweep)
  if (!rows.length) return <p class="empty">No level was measured.</p>
  return (
    <div class="table-wrap">
      <table data-knee-table={sweep.id}>
        <thead>
          <tr>
            <th scope="col">At once</th>
            <th scope="col">Throughput</th>
            <th scope="col">p50</th>
            <th scope="col">p95</th>
            <th scope="col">p99</th>
            <th scope="col">Errors</th>
            <th scope="col">Health p95</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr data-level={String(r.concurrency)} data-knee={r.isKnee ? 'true' : undefined}>
              <th scope="row">
                {r.concurrency}
                {r.isKnee ? <strong> ← knee</strong> : null}
              </th>
              <td>{r.throughput}</td>
              <td>{r.p50}</td>
              <td>{r.p95}</td>
              <td>{r.p99}</td>
              <td class={r.hasErrors ? 'tone-bad' : undefined}>{r.errors}</td>
              <td>{r.healthP95}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function SweepSummary({ sweep, now }: { sweep: SweepResult; now: Date }) {
  return (
    <div data-sweep={sweep.id} data-sweep-status={sweep.status}>
      <p class="muted">
        {sweep.simulated ? <span class="sim-tag">simulated</span> : null} Run{' '}
        {exactTime(sweep.started_at, now)} against {sweep.url}
        {sweep.status === 'done' ? '' : ` — ${sweep.status}`}.
      </p>
      <KneeTable sweep={sweep} />
      <p data-recommendation={sweep.recommended_limit === null ? '' : String(sweep.recommended_limit)}>
        <strong>{recommendationWords(sweep)}</strong>
        {sweep.knee === null ? '' : ` The knee is at ${sweep.knee} at once.`}
        {sweep.reason ? ` Why: ${sweep.reason}` : ''}
      </p>
      {sweep.stopped_early ? <p class="notice notice-warn">Stopped early: {sweep.stopped_early}</p> : null}
    </div>
  )
}

export function SweepsPanel(props: { part: Part<SweepResult[]>; now: Date; oob?: boolean }) {
  const { part, now } = props
  const running = part.ok && anyRunning(part.value)
  return (
    <div
      id="ops-sweeps"
      data-read={part.ok ? 'ok' : part.problem.kind}
      data-running={running ? 'true' : undefined}
      // Polls only while a sweep runs: its progress, then its result.
      hx-get={running ? OPS_PATHS.sweeps : undefined}
      hx-trigger={running ? `every ${SWEEP_POLL_S}s` : undefined}
      hx-swap={running ? 'outerHTML' : undefined}
      hx-swap-oob={props.oob ? 'true' : undefined}
    >
      {!part.ok ? <ProblemBox problem={part.problem} /> : null}
      {part.ok
        ? latestPerTarget(part.value).map((t) => (
            <section data-sweep-target={t.target} aria-label={TARGETS[t.target]}>
              <h3>{TARGETS[t.target]}</h3>
              {t.running ? (
                <p class="notice notice-busy" role="status" data-sweep-running={t.running.id}>
                  A sweep is running (started {exactTime(t.running.started_at, now)}).{' '}
                  {progressWords(t.running)}
                </p>
              ) : null}
              {t.latest ? (
                <SweepSummary sweep={t.latest} now={now} />
              ) : t.running ? null : (
                <p class="empty">Not measured yet.</p>
              )}
            </section>
          ))
        : null}
    </div>
  )
}

export function SweepForm({ target }: { target?: SweepTarget }) {
  return (
    <form
      class="switch-form"
      method="get"
      action={OPS_PATHS.page}
      hx-get={OPS_PATHS.sweepConfirm}
      hx-target="#ops-sweep-confirm"
      hx-swap="innerHTML"
    >
      <label for="ops-sweep-target">Measure</label>
      <select id="ops-sweep-target" name="sweep">
        {SWEEP_TARGETS.map((t) => (
          <option value={t} selected={t === target}>
            {TARGETS[t]}
          </option>
        ))}
      </select>
      <button type="submit" class="button" data-action="sweep">
        Run a sweep…
      </button>
    </form>
  )
}

/** The question before a sweep; on real Sparks it cannot be sent without ticking the GPU box. */
export function SweepConfirm(props: { target: SweepTarget; simulated: boolean; plan: string | null }) {
  const { target, simulated, plan } = props
  return (
    <div class="confirm" role="dialog" aria-labelledby="sweep-confirm-h" data-confirm-sweep={target}>
      <h3 id="sweep-confirm-h">Run a concurrency sweep of {TARGETS[target]}?</h3>
      <ul>
        <li>
          It sends the same fixed requests {SWEEP_LEVELS.join(', ')} at a time, each level for a short while,
          and measures throughput, latency, errors and how slowly the health check answers meanwhile.
        </li>
        {plan ? <li data-sweep-plan="">{plan}</li> : null}
        <li>It stops early when errors start, and the result is saved and shown here.</li>
        <li>It does not change any setting: the recommended limit is yours to set.</li>
        {simulated ? (
          <li>The Sparks are simulated here, so no real GPU is loaded.</li>
        ) : (
          <li>
            <strong>This loads the GPU</strong> of the node that runs it: people using it meanwhile get slower
            answers, or none, for the few minutes it runs.
          </li>
        )}
      </ul>
      <div class="confirm-actions">
        <ConfirmForm
          action={OPS_PATHS.startSweep}
          target="#ops-sweep-confirm"
          busy
          fields={{ target, confirm: 'true' }}
          tone="primary"
          name="confirm-sweep"
          label="Yes, run the sweep"
        >
          {simulated ? null : (
            <p>
              <label>
                <input type="checkbox" name="confirm_live" value="true" required data-field="confirm-live" />{' '}
                I understand this loads the GPU of a live cluster
              </label>
            </p>
          )}
        </ConfirmForm>
        <DismissLink
          href={opsPageUrl()}
          fragment={OPS_PATHS.sweepConfirm}
          target="#ops-sweep-confirm"
          label="Not now"
        />
      </div>
    </div>
  )
}
