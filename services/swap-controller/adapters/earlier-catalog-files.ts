/**
 * Reads the earlier catalog files (`MODELS_YAML`, `MODELS_OVERRIDES`) when they change: each call
 * checks the files' modification times, so an edit shows up at the next read without a restart.
 * What was skipped is logged once per change of the files, never per request.
 */
import { readFileSync, statSync } from 'node:fs'
import type { Logger } from '../../../shared/logger.ts'
import { isoUtc } from '../domain/coordination/time.ts'
import type { CustomModel } from '../domain/models/custom.ts'
import { readEarlierCatalog } from '../domain/models/earlier-catalog.ts'

export interface EarlierCatalogFile {
  /** The setting that names it, as problems and `created_by` say it. */
  label: string
  path: string
}

/** The files the configuration names (none unless set). */
export function earlierFiles(config: {
  MODELS_YAML?: string
  MODELS_OVERRIDES?: string
}): EarlierCatalogFile[] {
  return [
    ...(config.MODELS_YAML ? [{ label: 'MODELS_YAML', path: config.MODELS_YAML }] : []),
    ...(config.MODELS_OVERRIDES ? [{ label: 'MODELS_OVERRIDES', path: config.MODELS_OVERRIDES }] : []),
  ]
}

/** The file's text, or the error reading it (a directory, no permission). */
function readText(path: string): string | Error {
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    return new Error((err as NodeJS.ErrnoException).code ?? (err as Error).message)
  }
}

/** A catalog file this large is not a hand-written list. */
const MAX_FILE_BYTES = 1024 * 1024

/** The files' cards, and what was skipped in them (for the model list's notes), both re-read on change. */
export interface EarlierCatalogReader {
  cards(): CustomModel[]
  problems(): string[]
}

export function earlierCatalogFiles(files: EarlierCatalogFile[], logger: Logger): EarlierCatalogReader {
  let stamp = ''
  let cards: CustomModel[] = []
  let skipped: string[] = []
  const read = (): CustomModel[] => {
    if (files.length === 0) return cards
    const stats = files.map((f) => {
      try {
        const s = statSync(f.path)
        return { ...f, size: s.size, mtimeMs: s.mtimeMs }
      } catch {
        return { ...f, size: -1, mtimeMs: 0 }
      }
    })
    const now = stats.map((s) => `${s.path}:${s.size}:${s.mtimeMs}`).join('|')
    if (now === stamp) return cards
    const problems: string[] = []
    const next: CustomModel[] = []
    for (const f of stats) {
      const text = f.size > MAX_FILE_BYTES ? null : readText(f.path)
      if (f.size < 0 || text instanceof Error)
        problems.push(
          `${f.label}: ${f.path} cannot be read${text instanceof Error ? ` (${text.message})` : ''}`,
        )
      else if (text === null)
        problems.push(`${f.label}: ${f.path} is larger than ${MAX_FILE_BYTES} bytes; not read`)
      else {
        const read = readEarlierCatalog(text, f.label, isoUtc(f.mtimeMs))
        next.push(...read.cards.filter((c) => !next.some((k) => k.key === c.key)))
        problems.push(...read.problems)
      }
    }
    // Remembered only once read: a file that failed is tried (and reported) again after it changes.
    stamp = now
    cards = next
    skipped = problems
    logger.info({ models: cards.length, files: files.map((f) => f.label) }, 'earlier model catalog read')
    for (const p of problems) logger.warn({ problem: p }, 'earlier model catalog: entry skipped')
    return cards
  }
  return {
    cards: read,
    problems: () => {
      read()
      return skipped
    },
  }
}
