/**
 * The key the map store encrypts with. Configuration refuses to start without `REDACTION_MAP_KEY`
 * unless `REDACTION_INSECURE_DEV_KEY=1`; in that mode every value is encrypted under a key written
 * in this file — as good as plain text — and the service says so loudly at start.
 */
import { createHash } from 'node:crypto'
import type { Logger } from '../../../shared/logger.ts'
import { decodeMapKey, type RedactionConfig } from '../config.ts'

/** Public on purpose: anyone with the source can decrypt what was stored under it. */
export const INSECURE_DEV_MAP_KEY = createHash('sha256')
  .update('spark-control insecure development map key')
  .digest()

export function resolveMapKey(
  config: Pick<RedactionConfig, 'REDACTION_MAP_KEY' | 'REDACTION_INSECURE_DEV_KEY'>,
  logger: Logger,
): Buffer {
  const configured = config.REDACTION_MAP_KEY ? decodeMapKey(config.REDACTION_MAP_KEY.reveal()) : undefined
  if (configured) return configured
  if (!config.REDACTION_INSECURE_DEV_KEY) throw new Error('REDACTION_MAP_KEY is not set')
  logger.warn(
    { insecureDevKey: true },
    '!!! INSECURE: REDACTION_MAP_KEY is unset and REDACTION_INSECURE_DEV_KEY=1: redaction maps are ' +
      'encrypted with a PUBLIC development key. Never use this with real data. !!!',
  )
  return INSECURE_DEV_MAP_KEY
}
