/**
 * `npm run eval:search`: nDCG@10, recall@10 and recall@50 of dense, sparse and hybrid search (RRF,
 * DBSF, RRF + rerank) on the labelled set in `tests/fixtures/search-eval/`, through the service's
 * own routes. Where the service comes from: `target.ts`. Prints a table and writes
 * `.tmp/search-eval/search-eval-<timestamp>.json` (git-ignored).
 *
 * With the simulated embedder the figures show that the pipeline works end to end, not how good
 * bge-m3 is: the simulator's vectors are text features (shared words and character trigrams), so
 * dense and sparse search behave alike and paraphrases are mostly missed. The table that says
 * something about retrieval quality is the one against a real bge-m3 (`EMBED_URL=…`).
 */
import { randomUUID } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { REPO_ROOT } from '../stack/launch.ts'
import { httpSearchClient } from './client.ts'
import { loadEvalSet } from './dataset.ts'
import { renderEval } from './report.ts'
import { runEval } from './run.ts'
import { startTarget } from './target.ts'

async function main() {
  const startedAt = new Date()
  const env = process.env
  const set = await loadEvalSet()
  const target = await startTarget(env)
  const stopOnSignal = () => void target.stop().finally(() => process.exit(130))
  process.once('SIGINT', stopOnSignal)
  process.once('SIGTERM', stopOnSignal)
  try {
    console.log(
      `search eval: ${set.passages.length} passages, ${set.queries.length} queries\n` +
        `  service: ${target.describe.service}\n  embedder: ${target.describe.embedder}\n` +
        `  store: ${target.describe.store}`,
    )
    const client = httpSearchClient(target.url, { apiKey: env.SEARCH_EVAL_API_KEY || undefined })
    const run = await runEval(client, set, {
      collection: `search_eval_${randomUUID().slice(0, 8)}`,
      keep: env.SEARCH_EVAL_KEEP === '1',
      log: (line) => console.log(`  ${line}`),
    })
    console.log(
      `\ningested ${run.passages} passages as ${run.chunks} chunks in ${run.ingestSeconds.toFixed(1)} s\n\n${renderEval(run)}\n`,
    )
    if (!env.EMBED_URL && !env.SEARCH_EVAL_URL)
      console.log(
        'The simulated embedder is not bge-m3 (its vectors are text features): these figures show the ' +
          'pipeline works, not the quality of bge-m3. Set EMBED_URL to a real bge-m3 server for that.\n',
      )
    const dir = join(REPO_ROOT, '.tmp', 'search-eval')
    await mkdir(dir, { recursive: true })
    const file = join(dir, `search-eval-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`)
    const meta = {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      node: process.version,
    }
    await writeFile(file, `${JSON.stringify({ meta, target: target.describe, ...run }, null, 2)}\n`)
    console.log(`results: ${file}`)
  } finally {
    await target.stop()
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
