import type { Database } from '../../../../shared/sqlite.ts'

/**
 * Keeps the newest `keep` rows of a table by an increasing integer column. Table and column names
 * come from code, never from a request. When there are fewer rows the subquery is NULL and nothing goes.
 */
export function pruneToNewest(db: Database, table: string, column: string, keep: number): number {
  return db.run(
    `DELETE FROM ${table} WHERE ${column} <= (SELECT ${column} FROM ${table} ORDER BY ${column} DESC LIMIT 1 OFFSET ?)`,
    [Math.max(0, Math.trunc(keep))],
  ).changes
}

/** Bounded free text: the tail is what matters for a log, the head for a message. */
export const clip = (
  value: string | null | undefined,
  max: number,
  keep: 'head' | 'tail' = 'head',
): string | null => {
  if (value === null || value === undefined) return null
  if (value.length <= max) return value
  return keep === 'head' ? `${value.slice(0, max - 1)}…` : `…${value.slice(value.length - max + 1)}`
}

export function parseJsonRecord(text: string | null): Record<string, number> | null {
  if (text === null) return null
  try {
    const value = JSON.parse(text) as unknown
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, number>)
      : null
  } catch {
    return null
  }
}
