/**
 * The earlier version's `CONNECTIVITY_LOG` (`connectivity.json`), kept up to date for the readers
 * that parse it (domain/history/connectivity-document.ts has the format). Callers never wait:
 * changes update the document in memory and a single writer puts the latest one on disk —
 * coalesced (a burst of changes is one write), one write at a time (an older state never lands
 * after a newer one), and atomic (a temporary file in the same folder, synced, then renamed over,
 * so a reader sees the old document or the new one, never half of one). The earlier version
 * failed when the folder was missing; it is created.
 */
import { randomBytes } from 'node:crypto'
import { copyFileSync, readFileSync } from 'node:fs'
import { mkdir, open, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Logger } from '../../../shared/logger.ts'
import {
  applyReport,
  applyTransition,
  type ConnectivityDocument,
  emptyDocument,
  legacyStateOf,
  parseDocument,
  serializeDocument,
} from '../domain/history/connectivity-document.ts'
import { MAX_DETAIL } from '../domain/history/evidence.ts'
import type { ConnectivityLog } from '../domain/ports.ts'

export interface ConnectivityFileOptions {
  path: string
  /** Events kept in the rolling `events` window (the earlier version kept 200). */
  maxEvents: number
  logger: Logger
}

const errorCode = (err: unknown) => (err as NodeJS.ErrnoException | undefined)?.code

/** The file as it is, or a fresh document when it is missing or unreadable (a corrupt one is copied aside). */
function readDocument(path: string, logger: Logger): ConnectivityDocument {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    if (errorCode(err) === 'ENOENT')
      logger.info({ path }, 'connectivity log: no file yet, starting a new one')
    else
      logger.warn({ path, err: String(err) }, 'connectivity log: could not read the file, starting a new one')
    return emptyDocument()
  }
  try {
    return parseDocument(text)
  } catch (err) {
    const aside = `${path}.corrupt`
    try {
      copyFileSync(path, aside)
    } catch {
      // Keeping a copy is a courtesy; the new document is written either way.
    }
    logger.warn(
      { path, aside, err: String(err) },
      'connectivity log: the file is not valid JSON, starting a new one',
    )
    return emptyDocument()
  }
}

async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`
  try {
    const handle = await open(tmp, 'w')
    try {
      await handle.writeFile(text, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(tmp, path)
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined)
    throw err
  }
}

export function createConnectivityFile(options: ConnectivityFileOptions): ConnectivityLog {
  const { path, maxEvents, logger } = options
  const doc = readDocument(path, logger)
  let dirty = false
  let writing: Promise<void> | null = null

  async function drain(): Promise<void> {
    // Let the rest of this turn's changes join the same write.
    await Promise.resolve()
    while (dirty) {
      dirty = false
      try {
        await writeAtomically(path, serializeDocument(doc))
      } catch (err) {
        // The document stays in memory; the next change (or flush) writes it again.
        dirty = true
        logger.warn({ path, err: String(err) }, 'connectivity log: write failed')
        break
      }
    }
    writing = null
  }

  function schedule(): void {
    dirty = true
    writing ??= drain()
  }

  return {
    transition(change, target) {
      const state = legacyStateOf(change.to)
      if (!target.legacySubject || !state) return
      if (applyTransition(doc, { subject: target.legacySubject, state, at: change.at }, maxEvents)) schedule()
    },
    report(target, evidence) {
      applyReport(
        doc,
        {
          subject: target.legacySubject ?? target.id,
          at: evidence.at,
          ok: evidence.ok,
          source: evidence.source,
          detail: evidence.detail?.slice(0, MAX_DETAIL) ?? null,
          latencyMs: evidence.latencyMs,
        },
        maxEvents,
      )
      schedule()
    },
    async flush() {
      if (dirty && !writing) schedule()
      await writing
    },
  }
}
