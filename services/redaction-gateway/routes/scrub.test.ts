import { PassThrough } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../../shared/logger.ts'
import type { Detectors } from '../domain/scrub/ports.ts'
import { type RedactionHarness, redactionHarness } from './scrub-testing.ts'

let h: RedactionHarness
beforeEach(async () => {
  h = await redactionHarness({ env: { REDACTION_MAX_ITEMS: '5', REDACTION_MAX_ITEM_CHARS: '2000' } })
})
afterEach(async () => {
  await h.close()
})

const request = (items: { id: string | number; text: string }[], extra: Record<string, unknown> = {}) => ({
  task_id: 't-1',
  actor: 'crm',
  items,
  known_entities: { persons: ['Anne Smith-Jones'], orgs: ['Bluefin Capital'] },
  tier1_action: 'drop',
  bucket: { amounts: false, dates: false },
  ner: 'rules_only',
  ...extra,
})

describe('POST /scrub: the earlier contract', () => {
  it('answers every contract field, with placeholders in place of the values', async () => {
    const text = 'Anne Smith-Jones wrote for Bluefin Capital from anne@bluefin.example on 12 March 2026.'
    const { status, body } = await h.post(
      '/scrub',
      request([
        { id: 'n1', text },
        { id: 2, text: 'Thanks, Anne Smith-Jones.' },
      ]),
    )
    expect(status).toBe(200)
    expect(Object.keys(body).sort()).toEqual(['expires_at', 'items', 'map_handle', 'stats', 'task_id'])
    expect(body.task_id).toBe('t-1')
    expect(body.map_handle).toMatch(/^[\w-]{16,}$/)
    expect(Date.parse(body.expires_at)).toBeGreaterThan(Date.now())
    const [first, second] = body.items
    expect(first.id).toBe('n1')
    expect(first.scrubbed_text).toBe('[PERSON_1] wrote for [ORG_1] from [EMAIL_1] on [DATE_1].')
    expect(first.tokens_used).toEqual(['[PERSON_1]', '[ORG_1]', '[EMAIL_1]', '[DATE_1]'])
    expect(second).toEqual({ id: 2, scrubbed_text: 'Thanks, [PERSON_1].', tokens_used: ['[PERSON_1]'] })
    expect(body.stats).toEqual({
      tier1_dropped: 0,
      tier2_tokenized: 5,
      distinct_entities: 4,
      descriptive_flags: [],
    })
  })

  it('flags a phrase that can identify someone without naming them, with its span in the scrubbed text', async () => {
    const text = 'Lunch with the CFO at Bluefin Capital, then a call with Tom Reyes.'
    const { status, body } = await h.post('/scrub', request([{ id: 'n1', text }]))
    expect(status).toBe(200)
    const scrubbed: string = body.items[0].scrubbed_text
    const flags = body.stats.descriptive_flags as { item: string; span: [number, number]; action: string }[]
    expect(flags.length).toBe(1)
    expect(flags[0]).toMatchObject({ item: 'n1', action: 'flag', kind: 'role' })
    expect(scrubbed.slice(...flags[0]!.span)).toBe('the CFO at [ORG_1]')
  })

  it('drops Tier-1 data as [REDACTED] and never stores it', async () => {
    const text = 'SSN 123-45-6789, card 4111 1111 1111 1111, call Bob Lee.'
    const { status, body } = await h.post('/scrub', request([{ id: 1, text }]))
    expect(status).toBe(200)
    const scrubbed: string = body.items[0].scrubbed_text
    expect(scrubbed).not.toMatch(/6789|1111/)
    expect(scrubbed).toContain('[REDACTED]')
    expect(body.stats.tier1_dropped).toBe(2)
    const stored = h.store.valuesFor(body.map_handle, ['[DIGITS_1]', '[PHONE_1]', '[MISC_1]'])
    expect(stored.size).toBe(0)
  })

  it('rejects Tier-1 data under "reject" with 422 naming kinds only, and stores nothing', async () => {
    const items = [
      { id: 'a', text: 'Routing number 021000021, account number 12345678901.' },
      { id: 'b', text: 'Nothing secret, only Anne Smith-Jones.' },
      {
        id: 'c',
        text: 'seed: abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
      },
    ]
    const { status, body } = await h.post('/scrub', request(items, { tier1_action: 'reject' }))
    expect(status).toBe(422)
    expect(body.error).toBe('tier1_detected')
    expect(body.spans).toEqual([
      { item: 'a', kinds: ['account_number', 'routing_number'] },
      { item: 'c', kinds: ['seed_phrase'] },
    ])
    const raw = JSON.stringify(body)
    expect(raw).not.toMatch(/021000021|12345678901|abandon|Anne/)
  })

  it.each(['auto', 'qwen'])('fails closed with 422 ner_unavailable for ner "%s"', async (ner) => {
    const { status, body } = await h.post('/scrub', request([{ id: 1, text: 'Anne met Bob.' }], { ner }))
    expect(status).toBe(422)
    expect(body.error).toBe('ner_unavailable')
    expect(JSON.stringify(body)).not.toContain('Anne')
  })

  it('answers 400 bad_request for malformed JSON and invalid fields', async () => {
    const broken = await h.post('/scrub', '{"task_id": ')
    expect(broken.status).toBe(400)
    expect(broken.body.error).toBe('bad_request')
    for (const bad of [
      { items: [] },
      request([{ id: 1 } as never]),
      request([{ id: 1, text: 'x' }], { tier1_action: 'keep' }),
      request([{ id: 1, text: 'x' }], { ner: 'gpt' }),
      request([{ id: { no: 1 }, text: 'x' } as never]),
    ]) {
      const { status, body } = await h.post('/scrub', bad)
      expect(status).toBe(400)
      expect(body.error).toBe('bad_request')
      expect(body.issues.length).toBeGreaterThan(0)
    }
  })

  it('answers 413 over the item limits, scrubbing nothing', async () => {
    const many = Array.from({ length: 6 }, (_, i) => ({ id: i, text: 'x' }))
    expect((await h.post('/scrub', request(many))).body.error).toBe('too_large')
    const long = await h.post('/scrub', request([{ id: 1, text: 'Anne '.repeat(500) }]))
    expect(long.status).toBe(413)
    expect(JSON.stringify(long.body)).not.toContain('Anne')
  })

  it('fails closed when a detector throws: 500, no text, no map', async () => {
    const failing: Detectors = {
      tier1AndCrypto: () => ({ tier1: [], crypto: [] }),
      known: () => [],
      structured: () => {
        throw new Error('regex blew up')
      },
      names: () => [],
    }
    const broken = await redactionHarness({ detectors: failing })
    try {
      const { status, body } = await broken.post('/scrub', request([{ id: 1, text: 'mail a@b.example' }]))
      expect(status).toBe(500)
      expect(body.error).toBe('scrub_failed')
      expect(JSON.stringify(body)).not.toContain('a@b.example')
    } finally {
      await broken.close()
    }
  })

  it('extends a map: the same values keep their tokens, new ones get the next numbers', async () => {
    const first = await h.post('/scrub', request([{ id: 1, text: 'Anne Smith-Jones met Bluefin Capital.' }]))
    const handle = first.body.map_handle
    const text = 'Bluefin Capital, Anne Smith-Jones and Carol Diaz (carol@diaz.example).'
    const second = await h.post('/scrub', request([{ id: 2, text }], { map_handle: handle }))
    expect(second.status).toBe(200)
    expect(second.body.map_handle).toBe(handle)
    expect(second.body.items[0].scrubbed_text).toBe('[ORG_1], [PERSON_1] and [PERSON_2] ([EMAIL_1]).')
  })

  it('answers 404 for an unknown map_handle and 410 for an expired one', async () => {
    const unknown = await h.post('/scrub', request([{ id: 1, text: 'x' }], { map_handle: 'nope' }))
    expect(unknown).toMatchObject({ status: 404, body: { error: 'map_not_found' } })
    const made = await h.post('/scrub', request([{ id: 1, text: 'Anne Smith-Jones' }]))
    h.clock.now += 2 * 24 * 3600_000
    const expired = await h.post(
      '/scrub',
      request([{ id: 1, text: 'x' }], { map_handle: made.body.map_handle }),
    )
    expect(expired).toMatchObject({ status: 410, body: { error: 'map_expired' } })
  })

  it('neutralises placeholder-shaped input so it can never rehydrate to a value', async () => {
    const made = await h.post('/scrub', request([{ id: 1, text: 'Anne Smith-Jones' }]))
    const handle = made.body.map_handle
    const sneaky = await h.post(
      '/scrub',
      request([{ id: 2, text: 'I am [PERSON_1], ok?' }], { map_handle: handle }),
    )
    expect(sneaky.body.items[0].scrubbed_text).toBe('I am ［PERSON_1］, ok?')
    const back = await h.post('/rehydrate', {
      task_id: 't',
      map_handle: handle,
      items: sneaky.body.items.map((i: { id: number; scrubbed_text: string }) => ({
        id: i.id,
        text: i.scrubbed_text,
      })),
    })
    expect(back.body.items[0].text).toBe('I am [PERSON_1], ok?')
  })

  it('/ready reports the capability built and up with the store', async () => {
    const res = await h.app.request('/ready')
    const report = await res.json()
    expect(report.capabilities.redaction).toMatchObject({ state: 'up' })
  })

  it('logs counts and types, never a value', async () => {
    const sink = new PassThrough()
    let logged = ''
    sink.on('data', (chunk: Buffer) => (logged += chunk.toString()))
    const logger = createLogger({ service: 'redaction-gateway', level: 'trace', destination: sink })
    const logging = await redactionHarness({ logger })
    try {
      const text = 'Anne Smith-Jones (anne@bluefin.example, SSN 123-45-6789) at Bluefin Capital.'
      const scrubbed = await logging.post('/scrub', request([{ id: 1, text }]))
      const back = { map_handle: scrubbed.body.map_handle, text: scrubbed.body.items[0].scrubbed_text }
      expect((await logging.post('/rehydrate', back)).body.text).not.toContain('6789')
      await logging.post('/scrub', request([{ id: 1, text }], { tier1_action: 'reject' }))
      await new Promise((r) => setImmediate(r))
      expect(logged).toContain('"types":{')
      expect(logged).toContain('rehydrated')
      for (const value of ['Anne', 'Smith', 'bluefin', 'Bluefin', '6789', '[PERSON_1]'])
        expect(logged).not.toContain(value)
    } finally {
      await logging.close()
    }
  })
})
