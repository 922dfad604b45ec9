/**
 * The redaction-gateway process SIGKILLed in the middle of a load of `/scrub` calls: after a
 * restart on the same map database and key, every scrub it had answered rehydrates exactly, and
 * a scrub it had not answered left either its whole map or nothing (a map is created, filled and
 * given its surface forms in one transaction).
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAP_STORE_MIGRATIONS } from '../../services/redaction-gateway/adapters/map-store-schema.ts'
import { openDatabase } from '../../shared/sqlite.ts'
import { launchStack, type Stack } from '../../tools/stack/launch.ts'
import { internalProver, provenFetch } from '../support/internal-proof.ts'

const TOTAL = 400
const CONCURRENCY = 16
const KILL_AFTER = 150
/** Tokens and surface forms each scrub writes: a person (full + two other mentions), an email, a phone. */
const TOKENS_PER_SCRUB = 3
const SURFACES_PER_SCRUB = 2

let root: string
let stack: Stack | undefined
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'redaction-sigkill-'))
})
afterAll(async () => {
  await stack?.stop()
  await rm(root, { recursive: true, force: true })
})

/** A made-up name per request (letters from the number), so every scrub has its own values. */
function nameOf(i: number): [string, string] {
  const letters = (n: number, len: number) =>
    Array.from({ length: len }, (_, k) => 'bcdfghjklmnprstvz'[Math.floor(n / 17 ** k) % 17]).join('')
  const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1)
  return [cap(`${letters(i, 3)}ia`), cap(`${letters(i + 7, 3)}ova`)]
}

function requestOf(i: number) {
  const [first, last] = nameOf(i)
  const texts = [
    `Call with ${first} ${last} (${first.toLowerCase()}.${last.toLowerCase()}@example.com) about the fund.`,
    `and later ${first} wrote again; Ms. ${last} wants the deck. Phone +1 415 555 ${String(1000 + i).slice(-4)}.`,
  ]
  return {
    task_id: `load-${i}`,
    items: texts.map((text, id) => ({ id, text })),
    known_entities: { persons: [`${first} ${last}`] },
    tier1_action: 'drop',
    ner: 'rules_only',
  }
}

interface Answered {
  i: number
  handle: string
  texts: string[]
  scrubbed: string[]
}

const post = (base: string, path: string, body: unknown) =>
  provenFetch(internalProver(stack!))(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

describe('redaction-gateway under SIGKILL', () => {
  it('every answered scrub rehydrates exactly after a restart; an unanswered one left all or nothing', async () => {
    const env = {
      REDACTION_MAP_DB: join(root, 'maps', 'redaction_maps.db'),
      REDACTION_MAP_KEY: randomBytes(32).toString('base64'),
      DATA_DIR: join(root, 'data'),
    }
    stack = await launchStack({ services: ['redaction-gateway'], env, healthTimeoutMs: 60_000 })
    const service = stack.services['redaction-gateway']!
    const base = service.url
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      service.process.once('exit', (_code, signal) => resolve(signal)),
    )

    const answered: Answered[] = []
    let failedWithStatus = 0
    let reachedKillPoint!: () => void
    const killPoint = new Promise<void>((resolve) => (reachedKillPoint = resolve))
    let next = 0
    const worker = async () => {
      while (next < TOTAL) {
        const i = next++
        const body = requestOf(i)
        try {
          const res = await post(base, '/scrub', body)
          if (res.status !== 200) {
            failedWithStatus++
            continue
          }
          const json = (await res.json()) as { map_handle: string; items: { scrubbed_text: string }[] }
          answered.push({
            i,
            handle: json.map_handle,
            texts: body.items.map((item) => item.text),
            scrubbed: json.items.map((item) => item.scrubbed_text),
          })
          if (answered.length === KILL_AFTER) reachedKillPoint()
        } catch {
          // The connection died with the process: not answered.
        }
      }
    }
    const load = Promise.all(Array.from({ length: CONCURRENCY }, worker))
    await killPoint
    service.process.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')
    await load
    expect(failedWithStatus).toBe(0)
    expect(answered.length).toBeGreaterThanOrEqual(KILL_AFTER)
    expect(answered.length).toBeLessThan(TOTAL)

    // Every answered scrub wrote what its answer promised: the surface forms too.
    for (const a of answered) {
      expect(a.scrubbed[1]).toBe(
        'and later [PERSON_1] wrote again; Ms. [PERSON_1] wants the deck. Phone [PHONE_1].',
      )
    }

    stack = await launchStack({
      services: ['redaction-gateway'],
      env,
      ports: { 'redaction-gateway': service.port },
      healthTimeoutMs: 60_000,
    })
    const restarted = stack.services['redaction-gateway']!.url
    for (const a of answered) {
      const res = await post(restarted, '/rehydrate', {
        map_handle: a.handle,
        items: a.scrubbed.map((text, id) => ({ id, text })),
      })
      expect(res.status, `load-${a.i}`).toBe(200)
      const json = (await res.json()) as { items: { text: string; unresolved: string[] }[] }
      expect(
        json.items.map((item) => item.text),
        `load-${a.i}`,
      ).toEqual(a.texts)
    }

    // Unanswered scrubs: each left a whole map (its transaction committed before the kill) or none.
    const db = await openDatabase(env.REDACTION_MAP_DB, { migrations: MAP_STORE_MIGRATIONS })
    try {
      const rows = db.all<{ task_id: string; entries: number; surfaces: number }>(
        `SELECT task_id,
                (SELECT COUNT(*) FROM entries e WHERE e.handle = m.handle) AS entries,
                (SELECT COUNT(*) FROM surfaces s WHERE s.handle = m.handle) AS surfaces
           FROM maps m`,
      )
      expect(rows.length).toBeGreaterThanOrEqual(answered.length)
      for (const row of rows) {
        expect({ task: row.task_id, entries: row.entries, surfaces: row.surfaces }).toEqual({
          task: row.task_id,
          entries: TOKENS_PER_SCRUB,
          surfaces: SURFACES_PER_SCRUB,
        })
      }
    } finally {
      db.close()
    }
  }, 180_000)
})
