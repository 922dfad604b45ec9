/**
 * The writer the SIGKILL test kills (not shipped): opens the map store named in its environment
 * and writes "scrubs" — one to five tokens in one transaction — in a loop, printing each scrub's
 * handle, tokens and values only after the write returned, as `/scrub` answers only then.
 */
import { openMapStore } from './map-store-sqlite.ts'

const store = await openMapStore({
  path: process.env.MAP_DB!,
  key: Buffer.from(process.env.MAP_KEY_HEX!, 'hex'),
  ttlS: 3600,
  sweepEveryMs: 0,
})

let handle = store.create('kill-test').handle
for (let scrub = 0; ; scrub++) {
  if (scrub % 10 === 0) handle = store.create('kill-test').handle
  const values = Array.from({ length: 1 + (scrub % 5) }, (_, k) => `person ${scrub}.${k} «${'x'.repeat(k)}»`)
  const tokens = store.batch(() => values.map((value) => store.tokenFor(handle, 'PERSON', value)))
  process.stdout.write(`${JSON.stringify({ handle, tokens, values })}\n`)
  // Let the event loop flush stdout and notice the signal now and then.
  if (scrub % 20 === 0) await new Promise((r) => setImmediate(r))
}
