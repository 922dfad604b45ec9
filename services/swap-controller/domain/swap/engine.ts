/**
 * The swap engine: takes a request and decides — catalog, lock, single flight, fit — before
 * anything is touched, then drives one swap in the background (run.ts) and files what it left
 * (record.ts). Dry runs stop after the decision and return the exact commands.
 */
import { AppError, conflict, notFound } from '../../../../shared/errors.ts'
import type { Recipe, RunMode } from '../catalog/types.ts'
import { estimateEta, type LoadHistoryEntry, successfulOnly } from '../progress/eta.ts'
import type {
  StartedAnswer,
  SwapAnswer,
  SwapEngine,
  SwapEngineDeps,
  SwapRequest,
  ValidateAnswer,
} from './engine-types.ts'
import { SwapEvents } from './events.ts'
import { checkFit } from './fit.ts'
import { isTerminal, type SwapJob, SwapMachine, type SwapState } from './machine.ts'
import { planSwap, renderPlan, type SwapPlan } from './plan.ts'
import { preflightRefusal, runPreflight, syncRecipe } from './preflight-gate.ts'
import { recordFinished } from './record.ts'
import { refusalAuditor } from './refusals.ts'
import { type RunContext, type RunSlot, runSwap } from './run.ts'
import { leftOnNodes } from './startup-cleanup.ts'
import { createStopper } from './stop.ts'
import { jobView, progressView } from './view.ts'

export type * from './engine-types.ts'

/** Successful loads an ETA is learnt from: enough for a median, recent enough to follow a changed recipe. */
const ETA_HISTORY = 10

const isValid = (e: { valid: boolean }): e is Recipe => e.valid

export function createSwapEngine(deps: SwapEngineDeps): SwapEngine {
  const now = deps.now ?? Date.now
  const machine = new SwapMachine({ now, newId: deps.newId })
  const events = new SwapEvents(deps.maxSubscribers ?? 64)
  let running: (RunSlot & { done: Promise<void> }) | null = null
  /** Swap requests past their first checks, still reading the nodes: a stop must not begin under them. */
  let pending = 0
  /** Reasons another part of the controller keeps swaps from starting (a weights delete). */
  const holds = new Set<{ reason: string }>()

  const liveProgress = () => {
    const tracker = running?.tracker
    return tracker ? progressView(tracker.snapshot(), estimateEta(tracker, running!.history)) : null
  }
  const view = (job: SwapJob) => jobView(job, now(), machine.current()?.id === job.id ? liveProgress() : null)
  const publishState = (job: SwapJob) => events.publish('state', view(job))
  const move = (job: SwapJob, state: SwapState) => {
    machine.move(job.id, state)
    // An end state is published by `finish`, with its outcome: never `ready` while still `running`.
    if (!isTerminal(state)) publishState(job)
  }
  /** `leaveOut`: nodes that do not answer and that this model does not need (not torn down). */
  const plan = (recipe: Recipe, mode?: RunMode, leaveOut: readonly string[] = []) =>
    planSwap({
      recipe,
      mode,
      nodes: deps.inventory.nodes.filter((n) => !leaveOut.includes(n.name)),
      vllmPort: deps.vllmPort,
      container: deps.container,
      stopGraceS: deps.stopGraceS,
    })
  const runCtx: RunContext = {
    driver: deps.driver,
    machine,
    events,
    now,
    move,
    publishState,
    plan: (r, leaveOut) => plan(r, undefined, leaveOut),
    subscribeLogs: deps.subscribeLogs,
    kickLogs: deps.kickLogs,
    drain: deps.drain,
  }

  async function findRecipe(key: string): Promise<{ recipe: Recipe; all: Recipe[] }> {
    const snap = await deps.catalog.snapshot()
    const entry = snap.entries.find((e) => e.key === key)
    if (!entry) throw notFound(`No recipe named ${key}.`)
    if (!isValid(entry)) {
      const message = `Recipe ${key} is invalid: ${entry.reasons.join(' ')}`
      throw new AppError(422, 'invalid_recipe', message, { extra: { reasons: entry.reasons } })
    }
    return { recipe: entry, all: snap.entries.filter(isValid) }
  }

  /** The served id vLLM lists now, and the recipe that serves it (the rollback target). */
  async function currentModel(all: Recipe[]) {
    const ids = await deps.loadedModels().catch(() => [] as string[])
    const id = ids[0] ?? null
    return { id, recipe: id ? (all.find((r) => r.servedModelName === id) ?? null) : null }
  }

  const stopper = createStopper({
    deps,
    now,
    currentModel: async () =>
      currentModel(
        await deps.catalog.snapshot().then(
          (s) => s.entries.filter(isValid),
          () => [],
        ),
      ),
    busy: () => {
      const job = machine.current()
      if (job)
        return conflict(`A swap to ${job.recipe} is in progress; cancel it first.`, {
          extra: { job_id: job.id },
        })
      return pending > 0
        ? conflict('A swap is being checked and about to start; try again in a moment.')
        : null
    },
  })

  async function fitFor(p: SwapPlan, recipe: Recipe, current: Recipe | null) {
    const { available, total } = await readMemory(p.nodes)
    // Reloading the same recipe stops it first too: its memory counts as freed.
    const cur = current ? { recipe: current, mode: current.defaultMode } : null
    return checkFit({
      recipe,
      mode: p.mode,
      nodes: p.nodes,
      available,
      current: cur,
      policy: deps.fitPolicy,
      total,
    })
  }

  /** MemAvailable per node, and MemTotal where the driver reads it (it caps what a stop frees). */
  async function readMemory(
    nodes: string[],
  ): Promise<{ available: Record<string, number>; total?: Record<string, number> }> {
    if (!deps.driver.meminfo) return { available: await deps.driver.memory(nodes) }
    const snaps = Object.entries(await deps.driver.meminfo(nodes))
    return {
      available: Object.fromEntries(snaps.map(([n, m]) => [n, m.available_bytes])),
      total: Object.fromEntries(snaps.map(([n, m]) => [n, m.total_bytes])),
    }
  }

  const audit = (req: SwapRequest, outcome: string, detail: string, dryRun = false) =>
    deps.coordination.recordAudit({
      actor: req.actor,
      requestId: req.requestId,
      action: 'swap.start',
      target: req.recipe,
      dryRun,
      outcome,
      detail,
    })
  const joined = (job: SwapJob): StartedAnswer => ({
    ...view(job),
    dry_run: false,
    coalesced: true,
    fit: null,
    preflight: null,
  })
  const preflightOf = (p: SwapPlan, recipe: Recipe) =>
    deps.preflight ? runPreflight(deps.preflight, p, recipe) : Promise.resolve(null)
  const syncAudit = (req: SwapRequest) => (outcome: string, detail: string) =>
    deps.coordination.recordAudit({
      actor: req.actor,
      requestId: req.requestId,
      action: 'recipe.sync',
      target: req.recipe,
      outcome,
      detail,
    })

  const refusals = refusalAuditor({ now })
  const request = (req: SwapRequest) =>
    refusals.run(
      () => decide(req),
      (detail) => audit(req, 'refused', detail, req.dryRun === true),
      `${req.actor}\n${req.recipe}`,
    )

  async function decide(req: SwapRequest): Promise<SwapAnswer> {
    const { recipe, all } = await findRecipe(req.recipe)
    const p = plan(recipe, req.mode)
    if (req.dryRun) {
      const [current, pf] = await Promise.all([currentModel(all), preflightOf(p, recipe)])
      const fit = await fitFor(p, recipe, current.recipe)
      const refused = pf && preflightRefusal(pf.verdict, recipe.key, current.id)
      audit(req, 'ok', refused?.message ?? fit.message, true)
      const { mode, servedModelName: model } = p
      const commands = renderPlan(p, pf?.plan)
      const preflight = pf?.verdict ?? null
      return {
        dry_run: true,
        recipe: recipe.key,
        mode,
        model,
        from_model: current.id,
        commands,
        fit,
        preflight,
      }
    }
    deps.coordination.assertSwapAllowed(req.token)
    assertMayStart()
    const ask = { recipe: p.recipe, mode: p.mode, model: p.servedModelName, actor: req.actor }
    const busy = machine.current()
    if (busy && busy.recipe === p.recipe && busy.mode === p.mode && !busy.cancel_requested)
      return joined(busy)
    // Another recipe is running: the machine answers with the 409 before any node is read.
    if (busy) machine.start({ ...ask, from_model: null, from_recipe: null })
    pending++
    try {
      const [current, pf] = await Promise.all([currentModel(all), preflightOf(p, recipe)])
      const refused = pf && preflightRefusal(pf.verdict, recipe.key, current.id)
      if (refused) throw refused
      const fit = await fitFor(p, recipe, current.recipe)
      if (!fit.allowed) {
        audit(req, 'refused', fit.message)
        throw refusals.written(conflict(fit.message, { extra: { fit } }))
      }
      if (pf) await syncRecipe(deps.preflight!, pf, syncAudit(req))
      // Again, with nothing awaited before the start: a stop or a weights delete may have begun
      // while memory was being read.
      assertMayStart()
      const started = machine.start({
        ...ask,
        from_model: current.id,
        from_recipe: current.recipe?.key ?? null,
        warnings: pf?.verdict.warnings ?? [],
      })
      if (started.kind === 'coalesced') return joined(started.job)
      const previous = current.recipe && current.recipe.key !== recipe.key ? current.recipe : null
      const skipped = pf?.verdict.skipped ?? []
      launchJob(started.job, skipped.length > 0 ? plan(recipe, req.mode, skipped) : p, previous, req)
      const preflight = pf?.verdict ?? null
      return { ...view(started.job), dry_run: false, coalesced: false, fit, preflight }
    } finally {
      pending--
    }
  }

  function assertMayStart() {
    if (stopper.inProgress())
      throw conflict('The model is being stopped (POST /api/swap/stop); try again when that is done.')
    const [held] = holds
    if (held) throw conflict(`No swap can start while ${held.reason}; try again when that is done.`)
  }

  function launchJob(job: SwapJob, p: SwapPlan, previous: Recipe | null, req: SwapRequest) {
    const slot: RunSlot & { done: Promise<void> } = {
      abort: new AbortController(),
      tracker: null,
      history: [],
      done: Promise.resolve(),
    }
    running = slot
    const { id, recipe, model, from_model: fromModel, started_at_ms: startedAtMs } = job
    deps.loads.start({ id, recipe, model, fromModel, startedAtMs, mode: job.mode })
    publishState(job)
    // Never rejects: a bug in the drive must end the job as failed, not crash the process.
    slot.done = etaHistory(job)
      .catch(() => [])
      .then((history) => {
        slot.history = history
        return runSwap(runCtx, job, p, previous, slot)
      })
      .catch((err: unknown) => {
        job.error ??= `internal error: ${err instanceof Error ? err.message : String(err)}`
      })
      .then(() => finish(job, req, slot))
      .catch(() => undefined)
  }

  /** The last successful loads of this recipe in this mode (a store without modes: its ready loads). */
  function etaHistory(job: SwapJob): Promise<LoadHistoryEntry[]> {
    if (deps.loads.successfulLoads) return deps.loads.successfulLoads(job.recipe, job.mode, ETA_HISTORY)
    return deps.loads.recentLoads(job.recipe, ETA_HISTORY).then(successfulOnly)
  }

  function finish(job: SwapJob, req: SwapRequest, slot: RunSlot) {
    if (!['ready', 'failed', 'cancelled'].includes(job.state)) {
      // Only reachable through a bug in the drive; the job must still end.
      job.state = 'failed'
      job.transitions.push({ state: 'failed', at_ms: now() })
    }
    const done = machine.finish(job.id)
    if (running === slot) running = null
    const left = leftOnNodes(done, slot.interrupted)
    recordFinished(done, slot.tracker?.durations().phases ?? {}, deps, { requestId: req.requestId, left })
    publishState(done)
  }

  async function validate(key: string, mode?: RunMode): Promise<ValidateAnswer> {
    const snap = await deps.catalog.snapshot()
    const entry = snap.entries.find((e) => e.key === key)
    if (!entry) throw notFound(`No recipe named ${key}.`)
    const none = { mode: null, model: null, from_model: null, fit: null, commands: null, preflight: null }
    if (!isValid(entry)) return { key, valid: false, reasons: entry.reasons, warnings: [], ...none }
    const warnings = [...entry.warnings]
    let p: SwapPlan
    try {
      p = plan(entry, mode)
    } catch (err) {
      // A mode the recipe does not run is the caller's mistake (422); an inventory gap is a reason.
      if (!(err instanceof AppError) || err.issues?.[0]?.field === 'mode') throw err
      return { key, valid: false, reasons: [err.message], warnings, ...none }
    }
    const [current, pf] = await Promise.all([
      currentModel(snap.entries.filter(isValid)),
      preflightOf(p, entry),
    ])
    const fit = await fitFor(p, entry, current.recipe)
    if (!fit.fits && fit.allowed) warnings.push(fit.message)
    warnings.push(...(pf?.verdict.warnings ?? []))
    const refused = pf && preflightRefusal(pf.verdict, entry.key, current.id)
    const { mode: m, servedModelName: model } = p
    // A node that does not answer also has no memory reading: its refusal says it once.
    const fitReason = fit.allowed || refused?.code === 'node_unreachable' ? [] : [fit.message]
    const reasons = [...(refused ? [refused.message] : []), ...fitReason]
    return {
      key,
      valid: reasons.length === 0,
      reasons,
      warnings,
      mode: m,
      model,
      from_model: current.id,
      fit,
      commands: renderPlan(p, pf?.plan),
      preflight: pf?.verdict ?? null,
    }
  }

  return {
    request,
    validate,
    stop: (req) => stopper.stop(req),
    systemStop: (req) => stopper.systemStop(req),
    stopInProgress: () => stopper.inProgress(),
    holdSwaps(reason) {
      const hold = { reason }
      holds.add(hold)
      return () => void holds.delete(hold)
    },
    cancel(ctx) {
      const job = machine.requestCancel()
      if (!job) throw conflict('No swap is in progress.')
      running?.abort.abort()
      deps.coordination.recordAudit({
        actor: ctx.actor,
        requestId: ctx.requestId,
        action: 'swap.cancel',
        target: job.recipe,
        outcome: 'ok',
        detail: `cancel requested in ${job.state}`,
      })
      const v = view(job)
      events.publish('state', v)
      return v
    },
    job: (id) => {
      const j = machine.get(id)
      return j ? view(j) : undefined
    },
    state: () => {
      const j = machine.latest()
      return j ? view(j) : null
    },
    events,
    idle: async () => {
      await running?.done
    },
    close() {
      // Only shutdown closes the engine: the running swap ends as interrupted, without cleanup.
      if (running) running.interrupted = true
      running?.abort.abort()
      stopper.abort()
      events.close()
    },
  }
}
