/**
 * The labelled set in `tests/fixtures/search-eval/` (see its README), read in the BEIR layout:
 * `corpus.jsonl` ({_id, title, text}), `queries.jsonl` ({_id, text, metadata: {kind}}) and
 * `qrels.tsv` (query-id, corpus-id, graded score 0–2, with a header line).
 */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'

export const EVAL_SET_DIR = fileURLToPath(new URL('../../tests/fixtures/search-eval/', import.meta.url))

const Passage = z.object({ _id: z.string().min(1), title: z.string(), text: z.string().min(1) })
const Query = z.object({
  _id: z.string().min(1),
  text: z.string().min(1),
  metadata: z.object({ kind: z.enum(['entity', 'paraphrase', 'topical']) }),
})

export type Passage = z.infer<typeof Passage>
export type Query = z.infer<typeof Query>
export type QueryKind = Query['metadata']['kind']

export interface EvalSet {
  passages: Passage[]
  queries: Query[]
  /** query id → document id → grade */
  qrels: Map<string, Map<string, number>>
}

function jsonLines<T>(text: string, schema: z.ZodType<T>, file: string): T[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const parsed = schema.safeParse(JSON.parse(line))
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues[0]?.message}`)
      return parsed.data
    })
}

function parseQrels(text: string): Map<string, Map<string, number>> {
  const qrels = new Map<string, Map<string, number>>()
  const [header, ...rows] = text.split('\n').filter((line) => line.trim() !== '')
  if (header !== 'query-id\tcorpus-id\tscore') throw new Error('qrels.tsv: unexpected header')
  rows.forEach((row, i) => {
    const [query, doc, score] = row.split('\t')
    const grade = Number(score)
    if (!query || !doc || !Number.isInteger(grade) || grade < 0 || grade > 2)
      throw new Error(`qrels.tsv:${i + 2}: expected query-id, corpus-id and a grade 0–2`)
    const judged = qrels.get(query) ?? new Map<string, number>()
    judged.set(doc, grade)
    qrels.set(query, judged)
  })
  return qrels
}

/** Reads the set and checks that every judgement names a passage and a query that exist. */
export async function loadEvalSet(dir = EVAL_SET_DIR): Promise<EvalSet> {
  const read = (name: string) => readFile(`${dir}${name}`, 'utf8')
  const passages = jsonLines(await read('corpus.jsonl'), Passage, 'corpus.jsonl')
  const queries = jsonLines(await read('queries.jsonl'), Query, 'queries.jsonl')
  const qrels = parseQrels(await read('qrels.tsv'))
  const passageIds = new Set(passages.map((p) => p._id))
  const queryIds = new Set(queries.map((q) => q._id))
  if (passageIds.size !== passages.length) throw new Error('corpus.jsonl: duplicate _id')
  if (queryIds.size !== queries.length) throw new Error('queries.jsonl: duplicate _id')
  for (const [query, judged] of qrels) {
    if (!queryIds.has(query)) throw new Error(`qrels.tsv: unknown query ${query}`)
    for (const doc of judged.keys())
      if (!passageIds.has(doc)) throw new Error(`qrels.tsv: unknown passage ${doc} (query ${query})`)
  }
  return { passages, queries, qrels }
}

/** What is ingested for a passage: its title as a heading line, then its text (as BEIR embeds both). */
export const passageDocument = (p: Passage) => (p.title ? `${p.title}\n\n${p.text}` : p.text)
