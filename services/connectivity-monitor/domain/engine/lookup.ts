/**
 * Finds a target by the name a report gives: its id, or the subject the earlier version used
 * (`spark1`, `vllm`, `parakeet`), in any case — the earlier `/api/health-event` took the poller's
 * names as the apps spelled them.
 */
import type { Target } from '../ports.ts'

export function targetLookup(targets: readonly Target[]) {
  const byName = new Map<string, Target>()
  for (const t of targets) {
    byName.set(t.id, t)
    if (t.legacySubject) byName.set(t.legacySubject.toLowerCase(), t)
  }
  // Ids last so an id always wins over another target's earlier subject.
  for (const t of targets) byName.set(t.id.toLowerCase(), t)
  return {
    find(name: string): Target | undefined {
      return byName.get(name) ?? byName.get(name.toLowerCase())
    },
    /** Every name a report may use, for the message that refuses an unknown one. */
    names(): string[] {
      return [
        ...new Set(targets.flatMap((t) => [t.id, ...(t.legacySubject ? [t.legacySubject] : [])])),
      ].sort()
    },
  }
}
