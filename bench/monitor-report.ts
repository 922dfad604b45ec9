/** The monitor benchmark's printed tables: each subset of outages for the monitor and the baseline. */
import type { Summary } from './monitor-plan.ts'
import { type TargetCheck, table } from './report.ts'

type Subsets = Record<'long' | 'short' | 'longWithTraffic' | 'longIdle' | 'longStopped' | 'longHang', Summary>

export interface MonitorRun {
  outages: number
  wallS: number
  monitorCpuS: number
  cpuShare: number
  /** The unscored warm-up before the run (CPU share NaN when there was none). */
  warmup: { seconds: number; cpuShare: number }
  probesPerS: number
  probeBudget: number
  baselinePolls: number
  load: number[]
}

const num = (v: number, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : '—')

const SUBSETS: Array<[keyof Subsets, string]> = [
  ['long', 'outages ≥ 2 s'],
  ['longWithTraffic', '  … with traffic'],
  ['longIdle', '  … idle'],
  ['longStopped', '  … stopped (refused)'],
  ['longHang', '  … hang (no answer)'],
  ['short', 'outages < 2 s'],
]

export function renderMonitor(f: {
  monitor: Subsets
  baseline: Subsets
  run: MonitorRun
  targets: TargetCheck[]
}): string {
  const rows = [
    [
      'detector / outages',
      'n',
      'caught',
      'caught %',
      'detect p50 ms',
      'detect p95 ms',
      'undecided',
      'dur err p50',
      'p95',
      'max',
    ],
  ]
  for (const [who, figures] of [
    ['monitor', f.monitor],
    ['5 s poller', f.baseline],
  ] as const) {
    for (const [key, label] of SUBSETS) {
      const s = figures[key]
      rows.push([
        `${who}: ${label}`,
        String(s.outages),
        String(s.caught),
        num(s.caughtShare * 100, 1),
        num(s.detectionP50Ms),
        num(s.detectionP95Ms),
        String(s.undecided),
        num(s.durationErrorP50Ms),
        num(s.durationErrorP95Ms),
        num(s.durationErrorMaxMs),
      ])
    }
  }
  const ratio = f.monitor.long.caughtShare / f.baseline.long.caughtShare
  const r = f.run
  const notes = [
    `outages ≥ 2 s caught: monitor ${num(f.monitor.long.caughtShare * 100, 1)} % vs 5 s poller ` +
      `${num(f.baseline.long.caughtShare * 100, 1)} % (× ${num(ratio, 2)})`,
    `monitor CPU: ${num(r.monitorCpuS, 2)} s over ${num(r.wallS, 0)} s = ${num(r.cpuShare * 100, 2)} % of one core; ` +
      `probes/s (its own count, mean of samples): ${num(r.probesPerS, 1)} of a budget of ${num(r.probeBudget)}; ` +
      `baseline polls: ${r.baselinePolls}`,
    `monitor CPU in the warm-up before the run (first ${num(r.warmup.seconds, 0)} s under the same load, not scored): ` +
      `${num(r.warmup.cpuShare * 100, 2)} % of one core`,
    `load average (1 min) at start / end: ${r.load.map((l) => num(l, 2)).join(' / ')}`,
  ]
  const goals = table([
    ['target', 'measured', 'goal', ''],
    ...f.targets.map((t) => [t.figure, num(t.value, 2), t.target, t.met ? 'met' : 'MISSED']),
  ])
  return `${table(rows)}\n\n${notes.join('\n')}\n\n${goals}\n`
}
