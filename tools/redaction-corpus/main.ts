/** `npm run corpus:redaction`: regenerates tests/fixtures/redaction-corpus/{dev,test}.jsonl from their seeds. */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { CORPORA, CORPUS_DIR, type CorpusName, generateCorpus, toJsonl } from './generate.ts'

for (const name of Object.keys(CORPORA) as CorpusName[]) {
  const docs = generateCorpus(name)
  const file = join(CORPUS_DIR, `${name}.jsonl`)
  writeFileSync(file, toJsonl(docs))
  const mentions = docs.reduce((n, d) => n + d.mentions.length, 0)
  console.log(`${file}: ${docs.length} documents, ${mentions} mentions`)
}
