import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadEvalSet } from './dataset.ts'

describe('the labelled set shipped in tests/fixtures/search-eval', () => {
  it('is consistent and as large as its README says', async () => {
    const set = await loadEvalSet()
    expect(set.passages.length).toBeGreaterThanOrEqual(200)
    expect(set.queries.length).toBeGreaterThanOrEqual(40)
    expect(set.queries.length).toBeLessThanOrEqual(80)
    for (const kind of ['entity', 'paraphrase', 'topical'] as const)
      expect(set.queries.filter((q) => q.metadata.kind === kind).length).toBeGreaterThanOrEqual(10)
    // every query has a highly relevant passage, so nDCG@10 is defined and can reach 1
    for (const q of set.queries) expect([...(set.qrels.get(q._id)?.values() ?? [])]).toContain(2)
  })
})

describe('loadEvalSet', () => {
  let dir = ''
  afterEach(() => rm(dir, { recursive: true, force: true }))

  async function setWith(qrels: string) {
    dir = `${await mkdtemp(join(tmpdir(), 'search-eval-'))}/`
    await writeFile(`${dir}corpus.jsonl`, '{"_id":"p1","title":"","text":"one"}\n')
    await writeFile(`${dir}queries.jsonl`, '{"_id":"q1","text":"one?","metadata":{"kind":"topical"}}\n')
    await writeFile(`${dir}qrels.tsv`, qrels)
    return loadEvalSet(dir)
  }

  it('reads graded judgements', async () => {
    const set = await setWith('query-id\tcorpus-id\tscore\nq1\tp1\t2\n')
    expect(set.qrels.get('q1')?.get('p1')).toBe(2)
  })

  it('refuses a judgement of a passage that does not exist, or a grade out of range', async () => {
    await expect(setWith('query-id\tcorpus-id\tscore\nq1\tp9\t1\n')).rejects.toThrow(/unknown passage p9/)
    await expect(setWith('query-id\tcorpus-id\tscore\nq1\tp1\t3\n')).rejects.toThrow(/grade 0–2/)
  })
})
