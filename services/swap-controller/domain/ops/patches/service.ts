/**
 * The patches as the routes see them: which are applied where (every check run, a few at a time,
 * each command on a budget) and applying them — refused while a swap touches a patch's node,
 * one apply at a time, each patch on each service audited as `ops.patch.apply`.
 */
import type {
  PatchApplyAnswer,
  PatchSkipped,
  PatchStatus,
  ServiceContainerSpec,
} from '../../../../../shared/contracts/swap-controller.ts'
import { confirmationRequired, conflict, validationFailed } from '../../../../../shared/errors.ts'
import type { AuditInput } from '../../coordination/ports.ts'
import type { NodeCommandRunner, OpsActor, SwapActivity } from '../ports.ts'
import { applyTarget, dryRunTarget, notTried, type PatchResult, targetName } from './apply.ts'
import { runChecks } from './check.ts'
import type { InvalidPatchFile, Patch } from './load.ts'
import { type PatchTarget, planPatches } from './plan.ts'

/** The patch files as read now (the directory adapter implements it). */
export interface PatchCatalog {
  load(): Promise<{ patches: Patch[]; invalid: InvalidPatchFile[] }>
}

export interface PatchOpsDeps {
  catalog: PatchCatalog
  /** The inventory's service containers (with `disabled` set by DISABLED_SERVICES). */
  services: () => readonly ServiceContainerSpec[]
  runner: NodeCommandRunner
  swapActivity: SwapActivity
  audit: (entry: AuditInput) => void
  /** Budget of each check command; default 10 s. */
  checkTimeoutMs?: number
  /** Budget of each apply command; default 30 s. */
  applyTimeoutMs?: number
  /** Checks run at once in `status`; default 4. */
  concurrency?: number
  clock?: () => number
}

export interface PatchStatusAnswer {
  patches: PatchStatus[]
  invalid: { file: string; reason: string }[]
  skipped: PatchSkipped
}

export interface PatchApplyInput extends OpsActor {
  ids?: readonly string[]
  dryRun: boolean
  confirm: boolean
}

export interface PatchOps {
  status(signal?: AbortSignal): Promise<PatchStatusAnswer>
  apply(input: PatchApplyInput, signal?: AbortSignal): Promise<PatchApplyAnswer & { skipped: PatchSkipped }>
}

/** `fn` over `items`, at most `limit` at once, results in the items' order. */
async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i] as T)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}

const invalidRows = (invalid: InvalidPatchFile[]) =>
  invalid.map((f) => ({ file: f.file, reason: f.reasons.join('; ') }))

function selectIds(
  ids: readonly string[] | undefined,
  patches: Patch[],
  invalid: InvalidPatchFile[],
): Set<string> | null {
  if (ids === undefined) return null
  const known = new Set(patches.map((p) => p.id))
  const issues = ids
    .filter((id) => !known.has(id))
    .map((id, i) => {
      const bad = invalid.find((f) => f.file.replace(/\.ya?ml$/i, '') === id)
      const message = bad
        ? `the patch file ${bad.file} did not load: ${bad.reasons.join('; ')}`
        : `there is no patch ${id} (known: ${[...known].join(', ') || 'none'})`
      return { field: `ids.${i}`, message }
    })
  if (issues.length > 0) throw validationFailed(issues)
  return new Set(ids)
}

export function createPatchOps(deps: PatchOpsDeps): PatchOps {
  const { checkTimeoutMs = 10_000, applyTimeoutMs = 30_000, concurrency = 4, clock = Date.now } = deps
  let applying = false

  async function plan() {
    const { patches, invalid } = await deps.catalog.load()
    return { patches, invalid, ...planPatches(patches, deps.services()) }
  }

  const audit = (t: PatchTarget, input: PatchApplyInput, outcome: string, detail: string) =>
    deps.audit({
      actor: input.actor,
      requestId: input.requestId ?? null,
      action: 'ops.patch.apply',
      target: `${t.id}/${t.service}`,
      dryRun: input.dryRun,
      outcome,
      detail,
    })

  function refuseDuringSwap(targets: PatchTarget[], input: PatchApplyInput) {
    const busy = new Set(deps.swapActivity.busyNodes())
    const blocked = targets.filter((t) => busy.has(t.node))
    if (blocked.length === 0) return
    const nodes = [...new Set(blocked.map((t) => t.node))]
    for (const t of blocked) audit(t, input, 'refused', `a swap is running on ${t.node}`)
    throw conflict(
      `A swap is running on ${nodes.join(', ')}; patches for ${blocked.map(targetName).join(', ')} wait until it is over. Nothing was changed.`,
      { extra: { nodes } },
    )
  }

  async function applyOne(
    t: PatchTarget,
    input: PatchApplyInput,
    signal?: AbortSignal,
  ): Promise<PatchResult> {
    if (input.dryRun) return dryRunTarget(t)
    // A swap may have begun while earlier patches ran.
    if (deps.swapActivity.busyNodes().includes(t.node)) return notTried(t, `a swap began on ${t.node}`)
    return applyTarget(t, { runner: deps.runner, checkTimeoutMs, applyTimeoutMs, signal, clock })
  }

  return {
    async status(signal) {
      const { targets, skipped, invalid } = await plan()
      const patches = await mapBounded(targets, concurrency, async (t): Promise<PatchStatus> => {
        const run = await runChecks(t, 'check', {
          runner: deps.runner,
          timeoutMs: checkTimeoutMs,
          signal,
          clock,
        })
        const { id, version, description, service, node, container } = t
        const summary = `${targetName(t)}: ${run.state}${run.detail ? ` — ${run.detail}` : ''}`
        const checked_at = new Date(clock()).toISOString()
        return {
          id,
          version,
          description,
          service,
          node,
          container,
          state: run.state,
          detail: run.detail,
          checked_at,
          summary,
        }
      })
      return { patches, invalid: invalidRows(invalid), skipped }
    },

    async apply(input, signal) {
      if (!input.dryRun && !input.confirm)
        throw confirmationRequired('Applying patches to the Spark containers')
      const { patches, invalid, targets, skipped } = await plan()
      const wanted = selectIds(input.ids, patches, invalid)
      const chosen = wanted ? targets.filter((t) => wanted.has(t.id)) : targets
      const skippedChosen = wanted ? skipped.filter((s) => wanted.has(s.id)) : skipped
      if (!input.dryRun) refuseDuringSwap(chosen, input)
      if (applying) throw conflict('Patches are being applied already; try again when that is over.')
      applying = true
      try {
        const results: PatchResult[] = []
        for (const t of chosen) {
          const r = await applyOne(t, input, signal)
          audit(t, input, r.applied || r.skipped || input.dryRun ? 'ok' : 'failed', r.summary)
          results.push(r)
        }
        const ok = input.dryRun || results.every((r) => r.applied || r.skipped)
        return { dry_run: input.dryRun, ok, results, skipped: skippedChosen }
      } finally {
        applying = false
      }
    },
  }
}
