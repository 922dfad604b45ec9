/**
 * The versioned container patches: each one's state on each service it targets (from its check step,
 * run now), and re-applying the missing ones: the dry run's commands per patch, the question, then
 * a report of every step. A patch whose check still fails after applying is shown as a problem.
 */

import { ConfirmForm, DismissLink } from '../components/confirm-actions.tsx'
import { agoWords } from '../connectivity/words.ts'
import { Commands } from './commands.tsx'
import { OPS_PATHS, opsPageUrl } from './paths.ts'
import { Pill, ProblemBox } from './problem.tsx'
import type { Part } from './read.ts'
import type { PatchApplyAnswer, PatchApplyResult, PatchesAnswer } from './source.ts'
import { PATCH_STATES, patchOutcome, stepName, stepWords } from './words.ts'

export function PatchesPanel(props: { part: Part<PatchesAnswer> | null; now: Date; oob?: boolean }) {
  const { part, now } = props
  const oob = props.oob ? 'true' : undefined
  if (!part) return <div id="ops-patches" hx-swap-oob={oob}></div>
  if (!part.ok)
    return (
      <div id="ops-patches" hx-swap-oob={oob} data-read={part.problem.kind}>
        <ProblemBox problem={part.problem} />
      </div>
    )
  const { patches, invalid } = part.value
  const missing = patches.filter((p) => p.state === 'missing').length
  return (
    <div id="ops-patches" hx-swap-oob={oob} data-read="ok" data-missing={String(missing)}>
      {invalid.length ? (
        <div class="notice notice-bad" role="alert" data-invalid-patches="">
          <p>Some patch files could not be read and are left out:</p>
          <ul>
            {invalid.map((i) => (
              <li>
                {i.file}: {i.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {part.value.skipped?.length ? (
        <div class="muted" data-skipped-patches="">
          <p>Left out (the service is not in the inventory, or hidden):</p>
          <ul>
            {part.value.skipped.map((s) => (
              <li>
                {s.id} on {s.service}: {s.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {patches.length === 0 ? (
        <p class="empty">There are no patches for the Spark containers.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Patch</th>
                <th scope="col">Service</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {patches.map((p) => (
                <tr data-patch={p.id} data-patch-service={p.service} data-state={p.state}>
                  <td>
                    <strong>{p.id}</strong> <span class="muted">v{p.version}</span>
                    <br />
                    {p.description}
                  </td>
                  <td>
                    {p.service}{' '}
                    <span class="muted">
                      ({p.container} on {p.node})
                    </span>
                  </td>
                  <td>
                    <Pill look={PATCH_STATES[p.state]} data={p.state} />
                    {p.detail ? <br /> : null}
                    {p.detail ?? ''}
                    <br />
                    <span class="muted">checked {agoWords(p.checked_at, now)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {missing > 0 ? (
        <p>
          <a
            class="button"
            href={opsPageUrl({ patches: true })}
            hx-get={OPS_PATHS.patchesConfirm}
            hx-target="#ops-patches-confirm"
            hx-swap="innerHTML"
            data-action="reapply"
          >
            Re-apply missing patches…
          </a>
        </p>
      ) : patches.length ? (
        <p class="muted" data-all-applied="">
          Every patch is applied.
        </p>
      ) : null}
    </div>
  )
}

const todo = (a: PatchApplyAnswer) => a.results.filter((r) => !r.skipped)

export function PatchesConfirm({ plan }: { plan: PatchApplyAnswer }) {
  const runs = todo(plan)
  if (!runs.length)
    return (
      <p class="notice notice-good" data-confirm-patches="none">
        Nothing to re-apply: every patch is applied.
      </p>
    )
  return (
    <div class="confirm" role="dialog" aria-labelledby="patches-confirm-h" data-confirm-patches="">
      <h3 id="patches-confirm-h">
        Re-apply {runs.length} missing patch{runs.length === 1 ? '' : 'es'}?
      </h3>
      <p>
        For each patch: its check runs first; only if it fails does the apply step run, then the check runs
        again. A patch counts as applied only when that second check passes. Applying may restart the
        container it patches.
      </p>
      {runs.map((r) => (
        <div data-plan-patch={r.id} data-plan-service={r.service}>
          <h4>
            {r.id} on {r.service} ({r.node})
          </h4>
          <ol>
            {r.steps.map((s) => (
              <li data-plan-step={s.kind}>
                {stepName(s)}
                {s.description ? `: ${s.description}` : ''}
              </li>
            ))}
          </ol>
          <Commands commands={r.steps.map((s) => s.command)} open />
        </div>
      ))}
      <div class="confirm-actions">
        <ConfirmForm
          action={OPS_PATHS.applyPatches}
          target="#ops-patches-confirm"
          busy
          fields={{ ids: [...new Set(runs.map((r) => r.id))], confirm: 'true' }}
          tone="primary"
          name="confirm-reapply"
          label={`Yes, re-apply ${runs.length === 1 ? 'it' : 'them'}`}
        />
        <DismissLink
          href={OPS_PATHS.page}
          fragment={`${OPS_PATHS.patchesConfirm}?dismiss=1`}
          target="#ops-patches-confirm"
          label="Not now"
        />
      </div>
    </div>
  )
}

function PatchRun({ r, dryRun }: { r: PatchApplyResult; dryRun: boolean }) {
  const outcome = patchOutcome(r, dryRun)
  return (
    <li data-run-patch={r.id} data-outcome={outcome.tone}>
      <strong>{r.id}</strong> on {r.service}: {outcome.text}
      {r.steps.length ? (
        <ul>
          {r.steps.map((s) => {
            const w = stepWords(s)
            return (
              <li data-step={s.kind} data-step-ok={String(s.ok)} class={`tone-${w.tone}`}>
                {w.text}
                {s.description ? ` (${s.description})` : ''} · <code>{s.command.display}</code>
              </li>
            )
          })}
        </ul>
      ) : null}
    </li>
  )
}

/** What a run came to, patch by patch and step by step. */
export function PatchReport({ done }: { done: PatchApplyAnswer }) {
  const problems = done.results.filter((r) => !r.skipped && !r.applied).length
  return (
    <div
      class={`notice notice-${problems ? 'bad' : 'good'}`}
      role="alert"
      data-patch-report={problems ? 'problem' : 'ok'}
    >
      <p>
        {problems
          ? `${problems} patch${problems === 1 ? ' was' : 'es were'} not applied: see the steps below.`
          : 'The missing patches are applied: every check passes now.'}
      </p>
      <ul>
        {done.results.map((r) => (
          <PatchRun r={r} dryRun={done.dry_run} />
        ))}
      </ul>
    </div>
  )
}

/** The same report as plain lines, for the notice a page without JavaScript shows once. */
export function patchReportLines(done: PatchApplyAnswer): string[] {
  return done.results.flatMap((r) => [
    `${r.id} on ${r.service}: ${patchOutcome(r, done.dry_run).text}`,
    ...r.steps.map((s) => `  ${stepWords(s).text}: ${s.command.display}`),
  ])
}
