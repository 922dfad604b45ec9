/**
 * The fault mix of `npm run bench:swap`: swaps that hit a fault, measured from the simulator's
 * side. For each: the time without a served model (bench/serving-watch.ts), whether the previous
 * model serves again, and how the job ended. Goal: the previous model is back whenever it can run,
 * and chat is unavailable no longer than the previous model's own reload time plus 10 s — its own
 * reload being a plain swap back to it, measured in the same run.
 *
 * Every fault starts from the previous model (the simulator's preloaded solo recipe) serving on
 * the head; every fault switch is reset afterwards, and the previous model is swapped back in if
 * the fault left something else (or nothing) serving. A fault that the controller leaves
 * unrecovered is a figure (MISSED), not a failure of the bench.
 */
import type { Demo } from '../tools/demo-stack.ts'
import { SIM_DEFAULT_RECIPE } from '../tools/spark-sim/recipes.ts'
import { table } from './report.ts'
import { type ServingWatch, watchServing } from './serving-watch.ts'
import { type Job, now, type SwapEvents } from './swap-events.ts'

const FAULT_CONFIG = {
  previous: SIM_DEFAULT_RECIPE,
  /** A recipe that runs solo on the head (`mode: solo`), for the faults that need no worker. */
  soloTarget: 'gpt-oss-120b',
  /** A recipe that needs both nodes. */
  clusterTarget: 'glm-4.5-air',
  /** The goal: unavailable ≤ own reload + this. */
  slackMs: 10_000,
  swapTimeoutMs: 120_000,
  /** After the job ends, how long a model may take to serve again before the fault counts as "down". */
  comebackWaitMs: 20_000,
}

type Sim = Demo['sim']['nodes']

interface Fault {
  name: string
  recipe: string
  mode: 'solo' | 'cluster'
  /** Before the swap request. */
  arm?: (sim: Sim) => void
  /** Waits for the job to reach `state`, then breaks something. */
  during?: { state: string; act: (sim: Sim) => void }
  /** The swap is meant to succeed (the controller repairs the fault before teardown). */
  repairable?: boolean
}

const FAULTS: Fault[] = [
  {
    name: 'worker unreachable during teardown',
    recipe: FAULT_CONFIG.clusterTarget,
    mode: 'cluster',
    // spark-2's SSH (new and live connections) goes away while the controller verifies teardown.
    during: {
      state: 'verifying-stopped',
      act: (sim) => sim.node('spark-2').setUnreachable(true, { dropExisting: true }),
    },
  },
  {
    name: 'OOM at load',
    recipe: FAULT_CONFIG.soloTarget,
    mode: 'solo',
    arm: (sim) => sim.setNextFailure('oom'),
  },
  {
    name: 'served-name mismatch',
    recipe: FAULT_CONFIG.soloTarget,
    mode: 'solo',
    arm: (sim) => sim.node('spark-1').setLauncherDropsExtraArgs(true),
  },
  {
    // Last: nothing in the simulator puts the original file back.
    name: 'recipe missing on the head',
    recipe: FAULT_CONFIG.soloTarget,
    mode: 'solo',
    arm: (sim) => sim.node('spark-1').removeRecipeFile(FAULT_CONFIG.soloTarget),
    repairable: true,
  },
]

function resetSwitches(sim: Sim) {
  sim.setNextFailure('none')
  for (const n of sim.nodes) {
    n.setUnreachable(false)
    n.setLauncherDropsExtraArgs(false)
  }
}

export interface FaultRecord {
  fault: string
  recipe: string
  /** The answer to POST /api/swap: 202, or the refusal's status. */
  httpStatus: number
  refusal: string | null
  triggered: boolean | null
  jobId: string | null
  outcome: string | null
  error: string | null
  rollback: Job['rollback'] | null
  /** Time without a served model from the request until one serves again (or the wait ends). */
  noModelMs: number
  /** Nothing served when the wait ended: `noModelMs` is a lower bound. */
  stillDown: boolean
  servingAtEnd: string | null
  previousBack: boolean
  /** For the repairable fault: when the head's recipe was rewritten, relative to the outage. */
  recipeSync: 'before teardown' | 'after teardown' | 'not written' | null
  ownReloadMs: number
  goalMet: boolean
}

export interface FaultFigures {
  previous: string
  /** The plain swap back to the previous model: time without a served model, and its vLLM load. */
  ownReload: { noModelMs: number; simLoadMs: number; totalMs: number }
  slackMs: number
  faults: FaultRecord[]
}

const round = (ms: number) => Math.round(ms * 10) / 10
/** Job errors carry the vLLM log excerpt; the table's notes keep their start. */
const clip = (text: string, max = 240) => (text.length > max ? `${text.slice(0, max - 1)}…` : text)

async function postSwap(gatewayUrl: string, recipe: string, mode?: string) {
  const res = await fetch(`${gatewayUrl}/api/swap`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-spark-actor': 'bench' },
    body: JSON.stringify(mode ? { recipe, mode } : { recipe }),
  })
  const body = (await res.json()) as Partial<Job> & Record<string, unknown>
  return { status: res.status, body }
}

/** A swap that must work (baseline, recovery): throws when it does not end ready. */
async function plainSwap(demo: Demo, events: SwapEvents, watch: ServingWatch, recipe: string) {
  const { status, body } = await postSwap(demo.gatewayUrl, recipe)
  if (status !== 202 || !body.job_id)
    throw new Error(`POST /api/swap ${recipe}: ${status} ${JSON.stringify(body)}`)
  if (body.model) watch.accept(body.model)
  const { job } = await events.finished(body.job_id, FAULT_CONFIG.swapTimeoutMs)
  if (job.outcome !== 'ready') throw new Error(`swap to ${recipe} ended ${job.outcome}: ${String(job.error)}`)
  return job
}

const refusalOf = (body: Record<string, unknown>) =>
  [body.code ?? body.type, body.detail ?? body.message ?? body.title].filter(Boolean).join(': ') || null

async function runFault(
  demo: Demo,
  events: SwapEvents,
  watch: ServingWatch,
  fault: Fault,
  base: { previousName: string; ownReloadMs: number },
): Promise<FaultRecord> {
  const sim = demo.sim.nodes
  fault.arm?.(sim)
  if (fault.repairable) watch.watchRecipe(fault.recipe)
  const sent = now()
  const { status, body } = await postSwap(demo.gatewayUrl, fault.recipe, fault.mode)
  if (typeof body.model === 'string') watch.accept(body.model)
  let job: Job | null = null
  let triggered: boolean | null = null
  if (status === 202 && body.job_id) {
    if (fault.during) {
      const at = await events.reached(body.job_id, fault.during.state, FAULT_CONFIG.swapTimeoutMs)
      triggered = at !== null
      if (at !== null) fault.during.act(sim)
    }
    job = (await events.finished(body.job_id, FAULT_CONFIG.swapTimeoutMs)).job
  }
  const servedAt = await watch.servedWithin(FAULT_CONFIG.comebackWaitMs)
  const end = servedAt ?? now()
  resetSwitches(sim)
  const noModelMs = watch.downMs(sent, end)
  const servingAtEnd = watch.serving()
  const previousBack = servingAtEnd === base.previousName
  const outageAt = watch.firstDownAfter(sent)
  const writtenAt = watch.recipeWrittenAt(fault.recipe)
  const recipeSync = !fault.repairable
    ? null
    : writtenAt === null
      ? 'not written'
      : outageAt === null || writtenAt <= outageAt
        ? 'before teardown'
        : 'after teardown'
  const withinBudget = servedAt !== null && noModelMs <= base.ownReloadMs + FAULT_CONFIG.slackMs
  const targetServes = job?.outcome === 'ready' && servingAtEnd === job.model
  const goalMet = fault.repairable
    ? withinBudget && ((targetServes && recipeSync === 'before teardown') || (status !== 202 && previousBack))
    : withinBudget && previousBack
  return {
    fault: fault.name,
    recipe: fault.recipe,
    httpStatus: status,
    refusal: status === 202 ? null : refusalOf(body),
    triggered,
    jobId: job?.job_id ?? null,
    outcome: job?.outcome ?? null,
    error: job?.error ? String(job.error) : null,
    rollback: job?.rollback ?? null,
    noModelMs: round(noModelMs),
    stillDown: servedAt === null,
    servingAtEnd,
    previousBack,
    recipeSync,
    ownReloadMs: round(base.ownReloadMs),
    goalMet,
  }
}

/** Runs every fault (the demo stack serving the previous model at the start); never throws for a fault. */
export async function runFaultMix(demo: Demo, events: SwapEvents, log: (line: string) => void) {
  const sim = demo.sim.nodes
  const watch = watchServing(demo)
  try {
    log(`fault mix: own reload of ${FAULT_CONFIG.previous} (swap away, then a plain swap back)`)
    const away = await plainSwap(demo, events, watch, FAULT_CONFIG.soloTarget)
    const back0 = now()
    const back = await plainSwap(demo, events, watch, FAULT_CONFIG.previous)
    const servedAt = (await watch.servedWithin(FAULT_CONFIG.comebackWaitMs)) ?? now()
    const load = watch.loadOf(back.model, back0)
    const ownReload = {
      noModelMs: round(watch.downMs(back0, servedAt)),
      simLoadMs: round(load?.readyAt ? load.readyAt - load.startedAt : Number.NaN),
      totalMs: Date.parse(back.finished_at ?? '') - Date.parse(back.started_at),
    }
    log(
      `own reload: ${ownReload.noModelMs.toFixed(0)} ms without a served model ` +
        `(vLLM load ${ownReload.simLoadMs.toFixed(0)} ms; away to ${away.model} and back)`,
    )
    const base = { previousName: back.model, ownReloadMs: ownReload.noModelMs }
    const records: FaultRecord[] = []
    for (const fault of FAULTS) {
      if (watch.serving() !== base.previousName) {
        log(`restoring ${FAULT_CONFIG.previous} before "${fault.name}"`)
        await plainSwap(demo, events, watch, FAULT_CONFIG.previous)
      }
      log(`fault: ${fault.name} (swap to ${fault.recipe}, ${fault.mode})`)
      const r = await runFault(demo, events, watch, fault, base)
      records.push(r)
      log(
        `  ${outcomeText(r)}; ${r.stillDown ? 'still down after' : 'no model for'} ${r.noModelMs.toFixed(0)} ms; ` +
          `serving ${r.servingAtEnd ?? 'nothing'}; ${r.goalMet ? 'goal met' : 'MISSED'}` +
          (r.error ? `\n  error: ${clip(r.error)}` : ''),
      )
    }
    return { previous: base.previousName, ownReload, slackMs: FAULT_CONFIG.slackMs, faults: records }
  } finally {
    resetSwitches(sim)
    await watch.stop()
  }
}

function outcomeText(r: FaultRecord): string {
  if (r.httpStatus !== 202) return `refused ${r.httpStatus}${r.refusal ? ` ${r.refusal}` : ''}`
  const rollback = r.rollback ? `, rollback ${r.rollback.outcome}` : ''
  const sync = r.recipeSync ? `, recipe ${r.recipeSync}` : ''
  const trigger = r.triggered === false ? ', fault never triggered' : ''
  return `${r.outcome}${rollback}${sync}${trigger}`
}

const s = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : '—')
const signed = (ms: number) => (Math.round(ms / 100) >= 0 ? `+${s(Math.abs(ms))}` : `-${s(-ms)}`)

function previousColumn(r: FaultRecord): string {
  if (r.previousBack) return 'yes'
  if (r.recipeSync && r.outcome === 'ready') return `n/a: ${r.servingAtEnd ?? 'nothing'} serves`
  return `no (${r.servingAtEnd ?? 'nothing'} serves)`
}

export function renderFaults(f: FaultFigures): string {
  const rows = f.faults.map((r) => [
    r.fault,
    `${r.stillDown ? '> ' : ''}${s(r.noModelMs)}`,
    previousColumn(r),
    outcomeText(r),
    s(r.ownReloadMs),
    signed(r.noModelMs - r.ownReloadMs),
    r.goalMet ? 'met' : 'MISSED',
  ])
  const head = [
    'fault',
    'time without model',
    'previous back?',
    'job outcome',
    'own reload',
    'over reload',
    'goal',
  ]
  const errors = f.faults
    .filter((r) => r.error || r.refusal)
    .map((r) => `  ${r.fault}: ${clip(r.error ?? r.refusal ?? '')}`)
  return [
    `fault mix (previous model ${f.previous}; own reload = a plain swap back to it: ${s(f.ownReload.noModelMs)} ` +
      `without a served model, vLLM load ${s(f.ownReload.simLoadMs)})`,
    table([head, ...rows]),
    `goal: the previous model serves again (for "recipe missing": the recipe is synced before teardown ` +
      `and the swap succeeds) and time without model ≤ own reload + ${s(f.slackMs)}`,
    ...(errors.length ? ['job errors:', ...errors] : []),
    '',
  ].join('\n')
}
