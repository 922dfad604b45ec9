/**
 * Two maps never exchange values, through the real process over HTTP: maps holding the same
 * tokens (`[PERSON_1]`, `[EMAIL_1]`, surface forms in the same contexts) for different people,
 * rehydrated and extended by interleaved concurrent calls, each answer only ever carries the
 * values of the map it named.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seededRandom } from '../../shared/random.ts'
import { launchStack, type Stack } from '../../tools/stack/launch.ts'
import { internalProver, provenFetch } from '../support/internal-proof.ts'

const MAPS = 12
const CALLS = 360
const CONCURRENCY = 12

let root: string
let stack: Stack
let base: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'redaction-maps-'))
  stack = await launchStack({
    services: ['redaction-gateway'],
    env: {
      REDACTION_MAP_DB: join(root, 'maps', 'redaction_maps.db'),
      REDACTION_MAP_KEY: randomBytes(32).toString('hex'),
      DATA_DIR: join(root, 'data'),
    },
    healthTimeoutMs: 60_000,
  })
  base = stack.services['redaction-gateway']!.url
}, 90_000)
afterAll(async () => {
  await stack?.stop()
  await rm(root, { recursive: true, force: true })
})

// biome-ignore lint/suspicious/noExplicitAny: answers are read field by field
async function post(path: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await provenFetch(internalProver(stack))(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: await res.json() }
}

interface TestMap {
  handle: string
  first: string
  last: string
  email: string
  /** The scrubbed note, the same text in every map. */
  scrubbed: string[]
  texts: string[]
}

const FIRSTS = [
  'Alma',
  'Bruno',
  'Cleo',
  'Dario',
  'Edda',
  'Femi',
  'Greta',
  'Hugo',
  'Ines',
  'Jonas',
  'Kira',
  'Lior',
]
const LASTS = [
  'Varga',
  'Okoye',
  'Lindqvist',
  'Moreau',
  'Tanaka',
  'Haddad',
  'Novak',
  'Reyes',
  'Quist',
  'Dlamini',
  'Sato',
  'Keane',
]

async function makeMap(n: number): Promise<TestMap> {
  const first = FIRSTS[n]!
  const last = LASTS[n]!
  const email = `${first.toLowerCase()}.${last.toLowerCase()}@example.com`
  const texts = [
    `Call with ${first} ${last} (${email}) today.`,
    `and later ${first} wrote again; Ms. ${last} agreed.`,
  ]
  const { status, body } = await post('/scrub', {
    task_id: `map-${n}`,
    items: texts.map((text, id) => ({ id, text })),
    known_entities: { persons: [`${first} ${last}`] },
    tier1_action: 'drop',
    ner: 'rules_only',
  })
  expect(status).toBe(200)
  const scrubbed = body.items.map((i: { scrubbed_text: string }) => i.scrubbed_text)
  return { handle: body.map_handle, first, last, email, scrubbed, texts }
}

describe('redaction maps over HTTP', () => {
  it('interleaved rehydrations and extensions of maps with the same tokens never answer another map’s values', async () => {
    const maps = await Promise.all(Array.from({ length: MAPS }, (_, n) => makeMap(n)))
    // The same tokens in the same places in every map: only the handle tells them apart.
    for (const m of maps) expect(m.scrubbed).toEqual(maps[0]!.scrubbed)
    expect(maps[0]!.scrubbed).toEqual([
      'Call with [PERSON_1] ([EMAIL_1]) today.',
      'and later [PERSON_1] wrote again; Ms. [PERSON_1] agreed.',
    ])

    const random = seededRandom(41)
    const jobs = Array.from({ length: CALLS }, (_, k) => ({
      k,
      map: maps[Math.floor(random() * MAPS)]!,
      roll: random(),
    }))
    const othersOf = (m: TestMap) =>
      maps.filter((o) => o !== m).flatMap((o) => [o.first, o.last, o.email.split('@')[0]!])
    let next = 0
    const worker = async () => {
      while (next < jobs.length) {
        const { k, map, roll } = jobs[next++]!
        if (roll < 0.15) {
          // Extending the map while others read theirs: the new mention joins the map's own person.
          const { status, body } = await post('/scrub', {
            task_id: `extend-${k}`,
            map_handle: map.handle,
            items: [{ id: 0, text: `Note ${k}: ${map.first} called.` }],
            tier1_action: 'drop',
            ner: 'rules_only',
          })
          expect(status).toBe(200)
          expect(body.items[0].scrubbed_text).toBe(`Note ${k}: [PERSON_1] called.`)
          continue
        }
        const reply = `Reply ${k}: tell [PERSON_1] to mail [EMAIL_1]; [PERSON_2] is unknown.`
        const { status, body } = await post('/rehydrate', {
          map_handle: map.handle,
          items: [...map.scrubbed, reply].map((text, id) => ({ id, text })),
        })
        expect(status).toBe(200)
        const texts = body.items.map((i: { text: string }) => i.text)
        expect(texts).toEqual([
          ...map.texts,
          `Reply ${k}: tell ${map.first} ${map.last} to mail ${map.email}; [PERSON_2] is unknown.`,
        ])
        for (const other of othersOf(map)) expect(texts.join('\n')).not.toContain(other)
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  }, 120_000)

  it('a handle of one map cannot reach another map’s values: unknown handles are 404, never a fallback', async () => {
    const m = await makeMap(0)
    const forged = `${m.handle.slice(0, -1)}${m.handle.endsWith('A') ? 'B' : 'A'}`
    const { status, body } = await post('/rehydrate', {
      map_handle: forged,
      items: [{ id: 0, text: '[PERSON_1]' }],
    })
    expect(status).toBe(404)
    expect(JSON.stringify(body)).not.toContain(m.first)
  })
})
