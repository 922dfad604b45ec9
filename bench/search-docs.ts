/**
 * Documents for the search bench, made from the evaluation set's passages (seeded, so every run
 * ingests the same text): each is a Markdown heading and 10–16 passages as paragraphs, about 3,500
 * characters — three chunks at the default CHUNK_TOKENS. The ids carry a run prefix, so a round
 * never meets the previous round's chunks (an unchanged document would cost nothing to ingest).
 */
import { seededRandom } from '../shared/random.ts'
import type { EvalDocument } from '../tools/search-eval/client.ts'
import type { Passage } from '../tools/search-eval/dataset.ts'

export function benchDocuments(
  passages: Passage[],
  count: number,
  idPrefix: string,
  seed = 7,
): EvalDocument[] {
  const random = seededRandom(seed)
  const pick = () => passages[Math.floor(random() * passages.length)]!
  return Array.from({ length: count }, (_, i) => {
    const paragraphs = Array.from({ length: 10 + Math.floor(random() * 7) }, () => pick().text)
    return {
      id: `${idPrefix}-${i}`,
      text: `# ${pick().title}\n\n${paragraphs.join('\n\n')}`,
      metadata: { source: 'bench', batch: Math.floor(i / 50) },
    }
  })
}
