/** Token maps for the rehydration tests: a lookup that records what it was asked. */
import type { TokenLookup } from './scan.ts'

export function mapLookup(entries: Record<string, string>): TokenLookup & { asked: string[] } {
  const asked: string[] = []
  const lookup = (tokens: readonly string[]) => {
    asked.push(...tokens)
    return new Map(tokens.filter((t) => t in entries).map((t) => [t, entries[t]!] as const))
  }
  return Object.assign(lookup, { asked })
}
