/**
 * Which occurrences of a scrub keep a surface form: those whose replaced text differs from the
 * value their token stands for ("Sarah" under the token of "Sarah Johnson", "JOSE GARCIA" under
 * the token first stored as "José García"), each under its context in the scrubbed text. With them,
 * `/rehydrate` of the scrubbed text gives back the input exactly (domain/rehydrate/surfaces.ts).
 */
import type { Scrubbed } from '../placeholders/scrub.ts'
import { contextCounter } from '../rehydrate/surfaces.ts'
import type { SurfaceRecord } from './ports.ts'

export function surfaceRecords(
  items: readonly { out: Scrubbed }[],
  values: ReadonlyMap<string, string>,
): SurfaceRecord[] {
  const records: SurfaceRecord[] = []
  // Every occurrence of every item is numbered, in order, as `/rehydrate` numbers every exact
  // placeholder of the items it is sent.
  const count = contextCounter()
  for (const { out } of items) {
    for (const o of out.occurrences) {
      const context = count(out.text, o.token, o.start, o.end)
      if (o.surface !== values.get(o.token)) records.push({ token: o.token, surface: o.surface, ...context })
    }
  }
  return records
}
