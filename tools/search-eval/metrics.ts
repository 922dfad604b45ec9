/**
 * The retrieval measures the evaluation reports, with the standard definitions (those of trec_eval
 * and of the BEIR benchmark's pytrec_eval): graded gains used as they are (linear, not 2^rel − 1),
 * the discount log2(rank + 1), the ideal ranking built from every judged document of the query (not
 * only the retrieved ones), and recall counting every document judged relevant (grade > 0).
 */

/** Relevance grades of one query: document id → grade (0 = judged not relevant). */
export type Judgements = ReadonlyMap<string, number>

/** Discounted cumulative gain of the first `k` documents of a ranking. */
export function dcgAt(ranking: readonly string[], judgements: Judgements, k: number): number {
  let dcg = 0
  for (let i = 0; i < Math.min(k, ranking.length); i++) {
    const grade = judgements.get(ranking[i]!) ?? 0
    if (grade > 0) dcg += grade / Math.log2(i + 2)
  }
  return dcg
}

/** Normalised DCG at `k`: 1 for the best possible ranking; NaN when the query has no relevant document. */
export function ndcgAt(ranking: readonly string[], judgements: Judgements, k: number): number {
  const ideal = [...judgements.values()].filter((g) => g > 0).sort((a, b) => b - a)
  let idcg = 0
  for (let i = 0; i < Math.min(k, ideal.length); i++) idcg += ideal[i]! / Math.log2(i + 2)
  return idcg === 0 ? Number.NaN : dcgAt(ranking, judgements, k) / idcg
}

/** Share of the relevant documents found in the first `k`; NaN when there is none to find. */
export function recallAt(ranking: readonly string[], judgements: Judgements, k: number): number {
  const relevant = [...judgements].filter(([, g]) => g > 0).map(([id]) => id)
  if (relevant.length === 0) return Number.NaN
  const top = new Set(ranking.slice(0, k))
  return relevant.filter((id) => top.has(id)).length / relevant.length
}

/** A ranking of documents from a ranking of chunks: each document at the rank of its best chunk. */
export function documentRanking(chunkDocIds: readonly string[]): string[] {
  return [...new Set(chunkDocIds)]
}

export interface Scores {
  ndcg10: number
  recall10: number
  recall50: number
}

export function scoreQuery(ranking: readonly string[], judgements: Judgements): Scores {
  return {
    ndcg10: ndcgAt(ranking, judgements, 10),
    recall10: recallAt(ranking, judgements, 10),
    recall50: recallAt(ranking, judgements, 50),
  }
}

/** Mean of each measure over the queries, skipping those without relevant documents (as trec_eval). */
export function meanScores(perQuery: readonly Scores[]): Scores & { queries: number } {
  const mean = (pick: (s: Scores) => number) => {
    const values = perQuery.map(pick).filter((v) => !Number.isNaN(v))
    return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length
  }
  return {
    ndcg10: mean((s) => s.ndcg10),
    recall10: mean((s) => s.recall10),
    recall50: mean((s) => s.recall50),
    queries: perQuery.filter((s) => !Number.isNaN(s.ndcg10)).length,
  }
}
