/**
 * The leak report as text, and `npm run corpus:redaction:report [dev|test]`: runs the pipeline over a
 * committed corpus and prints it (the gate in tests/redaction/ runs `test`; tune detectors on `dev`).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CORPUS_DIR, fromJsonl } from './generate.ts'
import { type LeakReport, measure } from './measure.ts'
import { scrubCorpus } from './run-pipeline.ts'

const pct = (v: number) => `${(v * 100).toFixed(2)} %`

export function formatReport(r: LeakReport): string {
  const lines = [`redaction leak report — ${r.corpus}.jsonl, ${r.documents} documents`]
  for (const [name, c] of Object.entries(r.classes)) {
    lines.push(
      `${name}: ${c.mentions} mentions, ${c.leaked} leaked (${pct(c.leakRate)}), ${c.partial} partly kept, ` +
        `${c.tokenised} tokenised instead of dropped; documents ${c.documentsLeaked}/${c.documents} leaked (${pct(c.documentLeakRate)})`,
    )
    for (const [type, t] of Object.entries(c.byType).sort())
      if (t.leaked || t.partial || t.tokenised)
        lines.push(
          `    ${type}: ${t.leaked}/${t.mentions} leaked, ${t.partial} partly kept, ${t.tokenised} tokenised`,
        )
  }
  const n = r.names
  lines.push(
    `names: ${n.mentions} mentions, recall ${pct(n.recall)}, precision ${pct(n.precision)} ` +
      `(tokens right ${n.tokens.right}, wrong ${n.tokens.wrong}, over other PII ${n.tokens.neutral}); ` +
      `known names leaked ${n.known.leaked}/${n.known.mentions}`,
  )
  for (const [label, table] of [
    ['sub-class', n.bySubclass],
    ['form', n.byForm],
    ['origin', n.byOrigin],
    ['known_entities', n.byKnown],
    ['person names seen in dev', n.byPool],
  ] as const)
    lines.push(
      `  recall by ${label}: ${Object.entries(table)
        .map(([k, t]) => `${k} ${pct(t.recall)} (${t.mentions})`)
        .join(', ')}`,
    )
  lines.push(
    `  precision by type: ${Object.entries(n.precisionByType)
      .map(([k, t]) => `${k} ${pct(t.precision)} (${t.right}/${t.right + t.wrong})`)
      .join(', ')}`,
  )
  lines.push(
    '  most common misses:',
    ...n.topMisses.map((m) => `    ${m.count} × ${m.pattern} (e.g. "${m.example}")`),
  )
  lines.push(
    '  most common false positives:',
    ...n.topFalsePositives.map((f) => `    ${f.count} × ${f.pattern}`),
  )
  lines.push(
    `public terms: ${r.public.scrubbed}/${r.public.mentions} scrubbed ${r.public.examples.length ? `(${r.public.examples.join(', ')})` : ''}`,
  )
  return lines.join('\n')
}

export async function reportFor(corpus: 'dev' | 'test'): Promise<LeakReport> {
  const docs = fromJsonl(readFileSync(join(CORPUS_DIR, `${corpus}.jsonl`), 'utf8'))
  return measure(corpus, await scrubCorpus(docs))
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const corpus = process.argv[2] === 'test' ? 'test' : 'dev'
  console.log(formatReport(await reportFor(corpus)))
}
