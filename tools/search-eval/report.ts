/** The evaluation's printed table: one row per mode, the measures over all queries and per kind. */
import type { EvalRun } from './run.ts'

const num = (v: number | undefined, digits = 3) =>
  v !== undefined && Number.isFinite(v) ? v.toFixed(digits) : '—'

/** A plain aligned text table; the first row is the header. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)))
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n')
}

export function renderEval(run: EvalRun): string {
  const rows = [
    [
      'mode',
      'nDCG@10',
      'recall@10',
      'recall@50',
      'nDCG@10 entity',
      'nDCG@10 paraphrase',
      'nDCG@10 topical',
      'p50 ms (service)',
    ],
    ...run.modes.map((m) => [
      m.mode,
      num(m.all?.ndcg10),
      num(m.all?.recall10),
      num(m.all?.recall50),
      num(m.byKind.entity?.ndcg10),
      num(m.byKind.paraphrase?.ndcg10),
      num(m.byKind.topical?.ndcg10),
      num(m.serviceP50Ms, 1),
    ]),
  ]
  const errors = run.modes.filter((m) => m.error).map((m) => `${m.mode}: not measured — ${m.error}`)
  return [table(rows), ...(errors.length > 0 ? ['', ...errors] : [])].join('\n')
}
