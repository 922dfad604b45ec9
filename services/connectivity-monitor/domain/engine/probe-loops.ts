/**
 * The active probing: one loop per target and layer, each timed by the schedule's delay for the
 * target's probing mode, all drawing on one probe budget. A loop never has more than one probe of
 * its layer in flight (two for `http` in fast mode, so a health check that hangs to its timeout
 * does not stretch the burst after a failure); when the budget is spent it tries again shortly.
 *
 * A hang (a server that accepts and never answers) says nothing until a timeout. So a health check
 * overdue well past the target's usual latency is a suspicion (hang-watch.ts): a second check on a
 * fresh connection goes at once with twice that short wait, and when it is not answered either,
 * both count as failed — two failures, as down always needs, in three times the wait.
 */
import type { Logger } from '../../../../shared/logger.ts'
import { evidenceClass } from '../classify/evidence-kinds.ts'
import type { Clock, Evidence, ProbeOptions, Probes, ProbingMode, Target } from '../ports.ts'
import type { ProbeBudget } from '../schedule/budget.ts'
import { type HangSuspicion, hangWatch, type WatchedProbe } from './hang-watch.ts'
import type { LayerLoop, ProbeLayer, TargetRuntime } from './runtime.ts'
import type { SlotTimer } from './slot-timer.ts'

/** After a refused budget token, the next try comes this long later (± half, so loops spread). */
const BUDGET_RETRY_MS = 100

export interface ProbeLoopDeps {
  probes: Probes
  /** Milliseconds to the next probe of `layer` for a target in `mode` (domain/schedule, jittered). */
  probeDelay(layer: ProbeLayer, mode: ProbingMode): number
  budget: ProbeBudget
  /** The engine's one timer (slot-timer.ts): every loop's next probe is a task on it. */
  slots: SlotTimer
  clock: Clock
  random: () => number
  logger: Logger
  onEvidence(runtime: TargetRuntime, evidence: Evidence): void
  /**
   * A health probe still out after this long (the slow threshold) gets a second one beside it.
   * A server that accepts and never answers says nothing until a timeout; without the second
   * probe, a hang that began just after a health check could end before two checks had failed in
   * it, and a 3 s hang would go unseen.
   */
  httpOverdueMs?: number
  /** When a health check counts as overdue against the target's usual latency; unset: never. */
  hangSuspicion?: HangSuspicion
  /** A hang is suspected: the engine asks the functional check at once. */
  onSuspicion?(runtime: TargetRuntime): void
}

const LAYER_CONFIG: Record<ProbeLayer, (t: Target) => unknown> = {
  tcp: (t) => t.tcp,
  http: (t) => t.http,
  functional: (t) => t.functional,
  ssh: (t) => t.ssh,
}

const hasOtherLayer = (t: Target) => Boolean(t.http || t.ssh)

const portRefusing = (rt: TargetRuntime) =>
  rt.classifier.state === 'down' && rt.loops.has('tcp') && rt.readings.layers.get('tcp')?.ok === false

/**
 * The port has accepted a connection since health last answered, and health still fails short of a
 * closed port (a timeout, an error status): the app is what fails, and another connect would only
 * say again that the port is open. A health check refused or reset makes this false at once.
 */
function portOpenAppFailing(rt: TargetRuntime): boolean {
  const tcp = rt.readings.layers.get('tcp')
  const health = rt.readings.layers.get('http')
  if (!tcp?.ok || !health || health.ok || evidenceClass(health) !== 'soft') return false
  return tcp.at >= (rt.readings.lastOkAt('http') ?? Number.NEGATIVE_INFINITY)
}

/**
 * Whether a loop's probe would tell nothing now; such a loop is parked, with no timer, until the
 * engine's `wake` finds it needed again. A wake-up of the process costs as much CPU as a probe (about
 * 0.2 ms on the test machine), and loops that woke only to reschedule themselves were a third of the
 * monitor's wake-ups.
 * - A target with a health route or an SSH banner is watched through those (kept-alive HTTP, or a
 *   check every few seconds); its bare TCP connect only runs in a burst, to tell a refused port from
 *   a hung app. A connect a second per target was most of the monitor's CPU and, on a Spark, one
 *   sshd log line a second.
 * - Down with its port refusing: the TCP burst alone watches for the port to open (a health check
 *   would only be refused too), and health resumes with the first open port. That halves what a down
 *   target takes from the budget, which the idle targets' steady probes need.
 * - In a burst, once the port has answered and health fails as an app does (a hang, a 5xx), health
 *   alone watches for the end: the connects repeating "open" were a fifth of a busy run's probes.
 */
function idle(rt: TargetRuntime, loop: LayerLoop, mode: ProbingMode): boolean {
  if (loop.layer === 'tcp') return hasOtherLayer(rt.target) && (mode !== 'fast' || portOpenAppFailing(rt))
  return loop.layer === 'http' && portRefusing(rt)
}

const limitFor = (layer: ProbeLayer, mode: ProbingMode) => (layer === 'http' && mode === 'fast' ? 2 : 1)

/**
 * While a down target refuses its port, its TCP burst runs at twice the burst interval: the end of
 * the outage is still dated within a quarter second (back-dating takes the midpoint), for half the
 * probes — a down target was the largest single draw on the budget.
 */
const REFUSING_SLOWDOWN = 2

export function createProbeLoops(deps: ProbeLoopDeps) {
  const { clock, budget } = deps
  const abort = new AbortController()
  const inFlight = new Set<Promise<void>>()
  let running = false

  function schedule(rt: TargetRuntime, loop: LayerLoop, delayMs: number, first = false) {
    if (loop.timer) deps.slots.cancel(loop.timer)
    loop.timer = deps.slots.after(delayMs, () => fire(rt, loop), first)
  }

  function fire(rt: TargetRuntime, loop: LayerLoop) {
    loop.timer = null
    if (!running) return
    const now = clock.now()
    const mode = rt.classifier.probing(now)
    if (idle(rt, loop, mode)) {
      loop.parked = true
      return
    }
    if (loop.inFlight >= limitFor(loop.layer, mode)) {
      loop.pending = true
      return
    }
    // A steady probe kept waiting a whole interval for a token goes as urgent: with many targets
    // bursting at once, the quiet ones would otherwise never be probed, and their outages missed.
    const starved = loop.starvedSince !== null && now - loop.starvedSince >= deps.probeDelay(loop.layer, mode)
    if (!budget.take(now, mode === 'fast' || starved)) {
      loop.starvedSince ??= now
      schedule(rt, loop, BUDGET_RETRY_MS * (0.5 + deps.random()), starved)
      return
    }
    loop.starvedSince = null
    launch(rt, loop, now)
    const slower = loop.layer === 'tcp' && portRefusing(rt) ? REFUSING_SLOWDOWN : 1
    schedule(rt, loop, slower * deps.probeDelay(loop.layer, mode))
  }

  const hangs = hangWatch({
    suspicion: deps.hangSuspicion,
    httpOverdueMs: deps.httpOverdueMs,
    clock,
    /** A second health check beside the overdue one; false when the limit or the budget says no. */
    second(rt, loop, options, suspect) {
      if (!running) return false
      if (suspect) deps.onSuspicion?.(rt)
      const now = clock.now()
      if (loop.inFlight >= 2 || !budget.take(now, true)) return false
      launch(rt, loop, now, options, suspect ?? undefined)
      return true
    },
  })

  function deliver(rt: TargetRuntime, evidence: Evidence) {
    try {
      deps.onEvidence(rt, evidence)
    } catch (err) {
      deps.logger.error({ err: (err as Error).message, target: rt.target.id }, 'evidence not handled')
    }
  }

  /** `beside`: the overdue check this one was sent beside, on a hang suspicion. */
  function launch(
    rt: TargetRuntime,
    loop: LayerLoop,
    now: number,
    options?: ProbeOptions,
    beside?: WatchedProbe,
  ) {
    loop.inFlight++
    // Every probe sent is told: a functional check in flight holds back a down, and a hung probe
    // still out when a target recovers dates the recovery.
    rt.classifier.started(loop.layer, now)
    const watched = loop.layer === 'http' && !beside ? hangs.watch(rt, loop, now) : null
    const run = probeSafely(loop.layer, rt.target, now, options).then((evidence) => {
      loop.inFlight--
      if (!running) return
      if (watched) hangs.answered(rt, watched, evidence)
      if (beside) {
        const overdue = hangs.confirmed(rt, beside, evidence)
        if (overdue) deliver(rt, overdue)
      }
      deliver(rt, evidence)
      if (loop.pending) {
        loop.pending = false
        fire(rt, loop)
      }
    })
    inFlight.add(run)
    void run.finally(() => inFlight.delete(run))
  }

  /** A probe keeps its promise never to throw; if one breaks it, that is a failed check, not a crash. */
  async function probeSafely(
    layer: ProbeLayer,
    target: Target,
    at: number,
    options?: ProbeOptions,
  ): Promise<Evidence> {
    try {
      return await deps.probes[layer]!(target, abort.signal, options)
    } catch (err) {
      const detail = `probe failed: ${(err as Error).message}`
      return {
        target: target.id,
        layer,
        at,
        ok: false,
        kind: 'other',
        latencyMs: clock.now() - at,
        detail,
        source: 'probe',
      }
    }
  }

  return {
    /** Starts a loop per probed layer of every enabled target, spread over each layer's first interval. */
    start(runtimes: Iterable<TargetRuntime>) {
      running = true
      for (const rt of runtimes) {
        if (rt.target.disabled) continue
        for (const layer of Object.keys(LAYER_CONFIG) as ProbeLayer[]) {
          if (!deps.probes[layer] || !LAYER_CONFIG[layer](rt.target)) continue
          const loop: LayerLoop = {
            layer,
            timer: null,
            parked: false,
            inFlight: 0,
            pending: false,
            starvedSince: null,
          }
          rt.loops.set(layer, loop)
          schedule(rt, loop, deps.random() * deps.probeDelay(layer, rt.mode))
        }
      }
    },

    /** Runs `layer` now, ahead of its timer (the functional check after a slow health answer), unless one is in flight. */
    urgent(rt: TargetRuntime, layer: ProbeLayer): boolean {
      const loop = rt.loops.get(layer)
      if (!running || !loop || loop.inFlight > 0) return false
      const now = clock.now()
      if (!budget.take(now, true)) return false
      launch(rt, loop, now)
      return true
    },

    /**
     * Restarts the target's parked loops that would tell something now (a failure made it fast; its
     * port answered again), each within one interval of its mode, spread at random.
     */
    wake(rt: TargetRuntime, mode: ProbingMode) {
      if (!running) return
      for (const loop of rt.loops.values()) {
        if (!loop.parked || idle(rt, loop, mode)) continue
        loop.parked = false
        schedule(rt, loop, deps.random() * deps.probeDelay(loop.layer, mode))
      }
    },

    /** A target just turned fast (a failure seen): its next probes come at the burst interval, not the steady one. */
    hurry(rt: TargetRuntime) {
      if (!running) return
      const now = deps.slots.now()
      for (const loop of rt.loops.values()) {
        if (loop.layer === 'functional' || !loop.timer) continue
        const fast = deps.probeDelay(loop.layer, 'fast')
        if (loop.timer.slot - now > fast) schedule(rt, loop, fast)
      }
    },

    get inFlight() {
      return inFlight.size
    },

    /** Stops every loop, aborts the probes in flight and waits for them to end. */
    async stop(runtimes: Iterable<TargetRuntime>) {
      running = false
      for (const rt of runtimes)
        for (const loop of rt.loops.values()) {
          if (loop.timer) deps.slots.cancel(loop.timer)
          loop.timer = null
        }
      abort.abort(new Error('the monitor is stopping'))
      await Promise.allSettled([...inFlight])
    },
  }
}
