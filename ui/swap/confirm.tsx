/**
 * The question before a switch, in plain words: what stops, for how long chat is away, whether it
 * fits, what happens if it fails. Only "Yes" starts anything; the exact commands are one click away
 * for those who want them.
 */

import { ConfirmForm, DismissLink } from '../components/confirm-actions.tsx'
import type { SwitchBlock } from './blocked.ts'
import { aboutDuration, gib, modeWords } from './format.ts'
import { SWAP_PATHS } from './paths.ts'
import { successfulLoadsS, usualLoadS } from './recipe-list.tsx'
import type { CatalogModel, LockView, ValidateAnswer } from './source.ts'

type NodeFit = NonNullable<ValidateAnswer['fit']>['per_node'][number]

/** What a node will have once the current model is stopped: free now, plus what stopping gives back. */
const freeOnceStopped = (n: NodeFit, stopsFirst: boolean) =>
  n.available_bytes === null
    ? 'free memory could not be read'
    : stopsFirst && n.freed_bytes > 0
      ? `${gib(n.available_bytes + n.freed_bytes)} free once the current model is stopped`
      : `${gib(n.available_bytes)} free`

/**
 * The controller words its fit verdict for the usual case (a model to stop, two nodes); said of a
 * cluster with nothing loaded, or of one Spark, it would not be true as written.
 */
export function fitMessage(message: string, nodes: string[], stopsFirst: boolean): string {
  let m = message
  if (!stopsFirst) m = m.replace(/ once the current model is stopped/g, '')
  if (nodes.length === 1) m = m.replace(/\bevery node has\b/g, `${nodes[0]} has`)
  return m
}

const plural = (n: number, word: string) => `${n === 1 ? '' : `${n} `}${word}${n === 1 ? '' : 's'}`

export interface ConfirmData {
  model: CatalogModel
  check: ValidateAnswer
  lock: LockView | null
  /** Set when a switch cannot start now (one is running, swaps are reserved): no "Yes" then. */
  block?: SwitchBlock | null
}

export function SwapConfirm({ data }: { data: ConfirmData }) {
  const { model: m, check } = data
  const block = data.block ?? null
  const usual = usualLoadS(m)
  const current = check.from_model
  const fit = check.fit
  const mode = check.mode ?? m.default_mode ?? 'solo'
  const nodes = fit?.per_node.map((n) => n.node) ?? []
  const nodeCount = nodes.length || (mode === 'cluster' ? 2 : 1)
  // Per node: the fit check's own figure first (what the controller will hold it to), then the recipe's.
  const need = fit?.per_node.length
    ? Math.max(...fit.per_node.map((n) => n.need_bytes))
    : (m.placements.find((p) => p.mode === mode)?.memory_need_bytes ?? m.memory_need_bytes)
  const refused = !check.valid || (fit !== null && !fit.allowed)
  return (
    <div
      class="confirm"
      role="dialog"
      aria-labelledby="confirm-h"
      data-confirm={m.key}
      data-allowed={String(!refused && !block)}
    >
      <h2 id="confirm-h">Switch the chat model to {m.name}?</h2>
      <ul>
        <li>
          {current ? (
            <>
              <strong>{current}</strong> stops first. Answers it is writing get a short time to finish; chat
              requests that arrive during the switch wait for the new model, or are told to try again.
            </>
          ) : (
            'No model is answering now, so nothing is interrupted.'
          )}
        </li>
        <li>
          It runs {modeWords(mode)}
          {nodes.length ? ` (${nodes.join(', ')})` : ''} and needs about {gib(need)} of memory
          {nodeCount > 1 ? ' on each' : ' there'}.
        </li>
        {fit ? (
          <li data-fit={fit.fits ? 'fits' : fit.allowed ? 'tight' : 'no-fit'}>
            {fitMessage(fit.message, nodes, current !== null)}
            {!fit.fits && fit.allowed
              ? ` The fit policy allows it anyway: the load may run out of memory and ${current ? 'go back' : 'stop'}.`
              : ''}
            {fit.per_node.map(
              (n) => ` ${n.node}: ${freeOnceStopped(n, current !== null)}, ${gib(n.need_bytes)} needed.`,
            )}
          </li>
        ) : null}
        <li>
          {usual === null
            ? 'It has not been loaded here before; large models take several minutes.'
            : `Loading usually takes ${aboutDuration(usual)} ` +
              `(from its last ${plural(successfulLoadsS(m).length, 'successful load')}).`}
        </li>
        <li>
          {current
            ? `If it fails to load, Spark Control goes back to ${current} by itself and keeps the log of what went wrong.`
            : 'If it fails to load, Spark Control cleans up after it, so no model is loaded (as now), and keeps the log ' +
              'of what went wrong.'}
        </li>
      </ul>
      {check.warnings
        .filter((w) => w !== fit?.message)
        .map((w) => (
          <p class="notice notice-warn">{w}</p>
        ))}
      {block ? (
        <p
          class="notice notice-warn"
          data-switch-blocked={block.kind}
          data-lock-held={block.kind === 'lock' ? 'true' : undefined}
        >
          Not now: {block.text}
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
        {refused || block ? null : (
          <ConfirmForm
            action={SWAP_PATHS.start}
            target="#swap-progress"
            swap="outerHTML"
            fields={{ recipe: m.key }}
            tone="primary"
            name="confirm-swap"
            label={`Yes, switch to ${m.name}`}
          />
        )}
        <DismissLink
          href={SWAP_PATHS.page}
          fragment={SWAP_PATHS.confirm}
          target="#swap-confirm"
          label={current ? 'Keep the current model' : 'Not now'}
        />
      </div>
    </div>
  )
}
