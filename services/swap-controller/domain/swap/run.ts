/**
 * One swap, driven to its end: teardown (verified) → launch → readiness, with live progress from
 * the log tail; on failure the log excerpt is kept and the previous model is relaunched — once.
 * A node that stops answering fails the step at once (not at its timeout); the rollback then runs
 * when every node the previous model needs still answers, else the error says which one is missing.
 * A teardown that failed on a node that answers does not roll back: its container is still there.
 */
import type { Recipe } from '../catalog/types.ts'
import { estimateEta, type LoadHistoryEntry } from '../progress/eta.ts'
import { classifyLog } from '../progress/failure-cause.ts'
import { ProgressTracker } from '../progress/tracker.ts'
import type { SwapEvents } from './events.ts'
import type { SwapJob, SwapMachine, SwapState } from './machine.ts'
import type { SwapPlan } from './plan.ts'
import { type ClusterDriver, SwapFailure, type TeardownReport } from './ports.ts'
import { progressView } from './view.ts'

export interface RunSlot {
  abort: AbortController
  /** Aborted because the service is shutting down (not a user's cancel): see `onFailure`. */
  interrupted?: boolean
  tracker: ProgressTracker | null
  history: LoadHistoryEntry[]
}

export interface RunContext {
  driver: ClusterDriver
  machine: SwapMachine
  events: SwapEvents
  now: () => number
  move(job: SwapJob, state: SwapState): void
  publishState(job: SwapJob): void
  /** `leaveOut`: nodes that do not answer and that this recipe does not need. */
  plan(recipe: Recipe, leaveOut?: readonly string[]): SwapPlan
  subscribeLogs?: (listener: (node: string, line: string, atMs: number) => void) => () => void
  kickLogs?: () => void
  /** Waits (bounded by its owner) for in-flight generations to finish before the old model stops. */
  drain?: (signal: AbortSignal) => Promise<void>
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err))

export async function runSwap(
  ctx: RunContext,
  job: SwapJob,
  p: SwapPlan,
  previous: Recipe | null,
  slot: RunSlot,
): Promise<void> {
  const signal = slot.abort.signal
  let launched = false
  try {
    if (ctx.drain) {
      signal.throwIfAborted()
      await ctx.drain(signal)
      signal.throwIfAborted()
    }
    ctx.move(job, 'stopping')
    await ctx.driver.stop(p, signal)
    ctx.move(job, 'verifying-stopped')
    noteLeftOut(job, await ctx.driver.verifyStopped(p, signal))
    ctx.move(job, 'starting')
    launched = true
    await loadModel(ctx, job, p, slot, true)
    ctx.move(job, 'ready')
  } catch (err) {
    await onFailure(ctx, job, p, previous, slot, err, launched)
  }
}

/** Launch and wait for readiness; `track` (the target, not a rollback) moves the job and publishes progress. */
async function loadModel(ctx: RunContext, job: SwapJob, p: SwapPlan, slot: RunSlot, track: boolean) {
  const tracker = new ProgressTracker({ startedAtMs: ctx.now(), now: ctx.now })
  if (track) slot.tracker = tracker
  let lastPhase = ''
  const unsubscribe = ctx.subscribeLogs?.((node, line, atMs) => {
    tracker.push(node, line, atMs)
    const snap = tracker.snapshot()
    if (!track || snap.phase === lastPhase) return
    lastPhase = snap.phase
    const progress = progressView(snap, estimateEta(tracker, slot.history))
    ctx.events.publish('progress', { job_id: job.id, ...progress })
  })
  try {
    await ctx.driver.launch(p, slot.abort.signal)
    ctx.kickLogs?.()
    if (track) ctx.move(job, 'loading')
    await ctx.driver.awaitReady(p, {
      signal: slot.abort.signal,
      onHealthy: () => track && ctx.move(job, 'warming'),
      logFailure: () => tracker.snapshot().failure,
    })
    // A driver that found the model ready at its first look never reported `/health` separately.
    if (track && job.state === 'loading') ctx.move(job, 'warming')
  } finally {
    unsubscribe?.()
  }
}

async function onFailure(
  ctx: RunContext,
  job: SwapJob,
  p: SwapPlan,
  previous: Recipe | null,
  slot: RunSlot,
  err: unknown,
  launched: boolean,
) {
  if (slot.abort.signal.aborted && slot.interrupted) {
    // Shutting down: the record must be written within the exit budget, so no SSH round trips
    // (log excerpt, a `docker stop` that waits out its grace). The next start removes what was
    // left (startup-cleanup.ts), and any swap or stop tears down every vllm_node before it launches.
    const left = launched ? '; the model being loaded was left on the nodes (the next start removes it)' : ''
    job.error ??= `interrupted in ${job.state}: swap-controller shut down${left}`
    ctx.move(job, 'cancelled')
    return
  }
  if (launched) job.log_excerpt = await ctx.driver.logExcerpt(p).catch(() => null)
  if (slot.abort.signal.aborted) {
    // Whatever was started is removed so no half-loaded model holds the memory.
    if (launched) await ctx.driver.stop(p, AbortSignal.timeout(60_000)).catch(() => undefined)
    ctx.move(job, 'cancelled')
    return
  }
  ctx.machine.fail(job.id, withCause(err, job.log_excerpt, slot.tracker), job.log_excerpt)
  ctx.publishState(job)
  if (!previous) return
  const down = err instanceof SwapFailure ? err.unreachable : []
  const cause = job.error ?? messageOf(err)
  if (err instanceof SwapFailure && err.stage === 'teardown' && down.length === 0) {
    job.error = `${cause}; ${previous.key} was not relaunched: its teardown did not finish`
    return
  }
  const blocked = ctx.plan(previous).required.filter((n) => down.includes(n))
  if (blocked.length > 0) {
    const which = blocked.length > 1 ? 'which are' : 'which is'
    job.error = `${cause}; rollback to ${previous.key} impossible: it needs ${blocked.join(' and ')}, ${which} unreachable`
    return
  }
  await rollBack(ctx, job, previous, slot, cause, down)
}

/** Nodes the teardown passed over (not needed, not answering) become the job's warnings. */
function noteLeftOut(job: SwapJob, report: TeardownReport | undefined) {
  for (const { node, reason } of report?.passedOver ?? [])
    job.warnings.push(
      `${node} stopped answering during the teardown (${reason}); this model does not need it.`,
    )
}

/**
 * The error, led by the cause the engine's log names ("vLLM exited: out of GPU memory (torch.…)"):
 * a container that exited says only its exit code, and a failure seen in the log only its kind.
 * A teardown failure happened before anything was launched: the log is the old model's.
 */
function withCause(err: unknown, excerpt: string | null, tracker: ProgressTracker | null): string {
  const message = messageOf(err)
  if (err instanceof SwapFailure && err.stage === 'teardown') return message
  const detail = tracker?.failure?.detail
  // The launch's own output is in the message (docker's "Unable to find image" never reaches a log).
  const found = classifyLog([excerpt ?? '', detail ?? '', message].join('\n'))
  if (!found) return message
  const what =
    err instanceof SwapFailure && err.stage === 'launch'
      ? 'the launch failed'
      : /^container .* (?:exited|disappeared)/.test(message)
        ? 'vLLM exited'
        : 'vLLM failed'
  return `${what}: ${found.cause} (${found.line}) — ${message}`
}

async function rollBack(
  ctx: RunContext,
  job: SwapJob,
  previous: Recipe,
  slot: RunSlot,
  cause: string,
  down: readonly string[],
) {
  ctx.move(job, 'rolling-back')
  job.rollback = { recipe: previous.key, outcome: 'running' }
  try {
    // Nodes that stopped answering are left out: the previous model does not need them (checked above).
    const back = ctx.plan(previous, down)
    await ctx.driver.stop(back, slot.abort.signal)
    noteLeftOut(job, await ctx.driver.verifyStopped(back, slot.abort.signal))
    await loadModel(ctx, job, back, slot, false)
    job.rollback.outcome = 'ready'
    ctx.move(job, 'ready')
  } catch (err) {
    job.rollback.outcome = 'failed'
    const why = slot.interrupted ? 'interrupted: swap-controller shut down' : `failed: ${messageOf(err)}`
    job.error = `${cause}; rollback to ${previous.key} ${why}`
    ctx.move(job, slot.abort.signal.aborted ? 'cancelled' : 'failed')
  }
}
