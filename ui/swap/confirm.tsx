/**
 * The question before a switch, in plain words: what stops, for how long chat is away, whether it
 * fits, what happens if it fails. Only "Yes" starts anything; the exact commands are one click away
 * for those who want them.
 */
import { aboutDuration, gib, modeWords } from './format.ts'
import { SWAP_PATHS } from './paths.ts'
import { successfulLoadsS, usualLoadS } from './recipe-list.tsx'
import type { CatalogModel, LockView, ValidateAnswer } from './source.ts'

type NodeFit = NonNullable<ValidateAnswer['fit']>['per_node'][number]

/** What a node will have once the current model is stopped: free now, plus what stopping gives back. */
const freeOnceStopped = (n: NodeFit) =>
  n.available_bytes === null ? 'free memory could not be read' : `${gib(n.available_bytes + n.freed_bytes)} free once stopped`

const plural = (n: number, word: string) => `${n === 1 ? '' : `${n} `}${word}${n === 1 ? '' : 's'}`

export interface ConfirmData {
  model: CatalogModel
  check: ValidateAnswer
  lock: LockView | null
}

export function SwapConfirm({ data }: { data: ConfirmData }) {
  const { model: m, check, lock } = data
  const usual = usualLoadS(m)
  const current = check.from_model
  const fit = check.fit
  const nodes = fit?.per_node.map((n) => n.node) ?? []
  const refused = !check.valid || (fit !== null && !fit.allowed)
  return (
    <div class="confirm" role="dialog" aria-labelledby="confirm-h" data-confirm={m.key} data-allowed={String(!refused)}>
      <h2 id="confirm-h">Switch the chat model to {m.name}?</h2>
      <ul>
        <li>
          {current ? (
            <>
              <strong>{current}</strong> stops first. Answers it is writing get a short time to finish; chat requests
              that arrive during the switch wait for the new model, or are told to try again.
            </>
          ) : (
            'No model is answering now, so nothing is interrupted.'
          )}
        </li>
        <li>
          It runs {modeWords(check.mode ?? m.default_mode ?? 'solo')}
          {nodes.length ? ` (${nodes.join(', ')})` : ''} and needs about {gib(m.memory_need_bytes)} of memory on each.
        </li>
        {fit ? (
          <li data-fit={fit.fits ? 'fits' : fit.allowed ? 'tight' : 'no-fit'}>
            {fit.message}
            {!fit.fits && fit.allowed ? ' The fit policy allows it anyway: the load may run out of memory and go back.' : ''}
            {fit.per_node.map((n) => ` ${n.node}: ${freeOnceStopped(n)}, ${gib(n.need_bytes)} needed.`)}
          </li>
        ) : null}
        <li>
          {usual === null
            ? 'It has not been loaded here before; large models take several minutes.'
            : `Loading usually takes ${aboutDuration(usual)} ` +
              `(from its last ${plural(successfulLoadsS(m).length, 'successful load')}).`}
        </li>
        <li>If it fails to load, Spark Control goes back to {current ?? 'no model'} by itself and keeps the log of what went wrong.</li>
      </ul>
      {check.warnings.filter((w) => w !== fit?.message).map((w) => (
        <p class="notice notice-warn">{w}</p>
      ))}
      {lock?.held ? (
        <p class="notice notice-warn" data-lock-held="true">
          Swaps are reserved by <strong>{lock.holder}</strong> until {lock.expires_at}
          {lock.note ? ` (${lock.note})` : ''}. A switch from here will be refused unless you release the reservation
          first.
        </p>
      ) : null}
      {refused ? (
        <p class="notice notice-bad" data-refused="true">
          This switch cannot start: {check.reasons.join(' ') || fit?.message}
        </p>
      ) : null}
      {check.commands ? (
        <details>
          <summary>Exact commands</summary>
          <pre>
            {[...check.commands.teardown, ...check.commands.verify, ...check.commands.launch]
              .map((c) => `${c.node}$ ${c.command}`)
              .join('\n')}
          </pre>
        </details>
      ) : null}
      <div class="confirm-actions">
        {refused ? null : (
          <form method="post" action={SWAP_PATHS.start} hx-post={SWAP_PATHS.start} hx-target="#swap-progress" hx-swap="outerHTML">
            <input type="hidden" name="recipe" value={m.key} />
            <button type="submit" class="button button-primary" data-action="confirm-swap">
              Yes, switch to {m.name}
            </button>
          </form>
        )}
        <a class="button button-quiet" href={SWAP_PATHS.page} hx-get={SWAP_PATHS.confirm} hx-target="#swap-confirm" data-action="dismiss">
          Keep the current model
        </a>
      </div>
    </div>
  )
}
