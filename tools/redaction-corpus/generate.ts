import { fileURLToPath } from 'node:url'
import type { CorpusDoc } from './builder.ts'
import { document } from './documents.ts'
import { createDice } from './random.ts'

export const CORPUS_DIR = fileURLToPath(new URL('../../tests/fixtures/redaction-corpus', import.meta.url))

/** The two committed corpora: `dev` for tuning the detectors, `test` the frozen gate (another seed). */
export const CORPORA = {
  dev: { seed: 0x5eed_0001, documents: 170, heldOut: false },
  test: { seed: 0x5eed_0002, documents: 170, heldOut: true },
} as const

export type CorpusName = keyof typeof CORPORA

export function generateCorpus(name: CorpusName): CorpusDoc[] {
  const { seed, documents, heldOut } = CORPORA[name]
  const dice = createDice(seed)
  return Array.from({ length: documents }, (_, i) =>
    document(dice, `${name}-${String(i + 1).padStart(4, '0')}`, heldOut),
  )
}

/** One JSON document per line, keys in a fixed order, so a regenerated file is byte-identical. */
export function toJsonl(docs: readonly CorpusDoc[]): string {
  return `${docs.map((doc) => JSON.stringify(doc)).join('\n')}\n`
}

export function fromJsonl(text: string): CorpusDoc[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CorpusDoc)
}
