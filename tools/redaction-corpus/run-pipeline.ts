/**
 * Runs the gateway's real `/scrub` pipeline (`rules_only`, the rule-based detectors, a real encrypted
 * SQLite map store in a temporary directory) over a corpus, one request per document with the
 * document's `known_entities`, and reads back which characters each answer replaced.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openMapStore } from '../../services/redaction-gateway/adapters/map-store.ts'
import { neutralise } from '../../services/redaction-gateway/domain/placeholders/neutralise.ts'
import { RULE_DETECTORS } from '../../services/redaction-gateway/domain/scrub/detectors.ts'
import { scrub } from '../../services/redaction-gateway/domain/scrub/pipeline.ts'
import { alignScrubbed } from './align.ts'
import type { CorpusDoc } from './builder.ts'
import type { Scrubbed } from './measure.ts'

export async function scrubCorpus(docs: readonly CorpusDoc[]): Promise<Scrubbed[]> {
  const dir = mkdtempSync(join(tmpdir(), 'redaction-corpus-'))
  const store = await openMapStore({
    path: join(dir, 'maps.db'),
    key: Buffer.alloc(32, 7),
    ttlS: 3600,
    sweepEveryMs: 0,
  })
  try {
    return docs.map((doc) => {
      const out = scrub(
        {
          taskId: doc.id,
          items: [{ id: doc.id, text: doc.text }],
          knownEntities: doc.known_entities,
          tier1Action: 'drop',
          ner: 'rules_only',
        },
        { detectors: RULE_DETECTORS, store, limits: { maxItems: 1, maxItemChars: 100_000 } },
      )
      const scrubbed = out.items[0]!.scrubbedText
      return { doc, scrubbed, regions: alignScrubbed(neutralise(doc.text), scrubbed) }
    })
  } finally {
    store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
