/**
 * The earlier redaction contract through the gateway (`POST /scrub`, `POST /rehydrate`): the CRM's
 * documented requests answer the documented fields, a scrub rehydrates back to its input, and the
 * 422 cases (`tier1_detected` with kinds only, `ner_unavailable` with a reason) keep their `{"error": code}`
 * bodies. `ner: auto|qwen` go through the local LLM (the demo serves a Qwen model).
 */
import { describe, expect, it } from 'vitest'
import { compatTarget } from './target.ts'

const target = compatTarget('redaction')

// biome-ignore lint/suspicious/noExplicitAny: answers are read field by field, error bodies included
type Json = Record<string, any>

async function post(path: '/scrub' | '/rehydrate', body: unknown) {
  const res = await fetch(target.url(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as Json }
}

/** The request the CRM sends, as documented in docs/COMPATIBILITY.md. */
const documented = {
  task_id: 'crm-task-42',
  actor: 'crm',
  items: [
    { id: 'note-1', text: 'Call with Anne Smith-Jones (anne@bluefin.example) about Bluefin Capital.' },
    { id: 'note-2', text: 'Anne Smith-Jones confirmed the meeting on March 12, 2026.' },
  ],
  known_entities: {
    persons: ['Anne Smith-Jones'],
    orgs: ['Bluefin Capital'],
    funds: [],
    emails: [],
    locations: [],
  },
  tier1_action: 'drop',
  bucket: { amounts: false, dates: false },
  ner: 'rules_only',
}

describe('POST /scrub and POST /rehydrate (earlier redaction contract)', () => {
  it('scrubs the documented request into the documented fields, and rehydrates it back', async () => {
    const scrubbed = await post('/scrub', documented)
    expect(scrubbed.status).toBe(200)
    expect(scrubbed.body).toMatchObject({
      task_id: 'crm-task-42',
      map_handle: expect.any(String),
      expires_at: expect.any(String),
      stats: {
        tier1_dropped: 0,
        tier2_tokenized: expect.any(Number),
        distinct_entities: 4,
        descriptive_flags: [],
      },
    })
    const [first, second] = scrubbed.body.items
    expect(first).toEqual({
      id: 'note-1',
      scrubbed_text: 'Call with [PERSON_1] ([EMAIL_1]) about [ORG_1].',
      tokens_used: ['[PERSON_1]', '[EMAIL_1]', '[ORG_1]'],
    })
    expect(second.scrubbed_text).toBe('[PERSON_1] confirmed the meeting on [DATE_1].')

    const back = await post('/rehydrate', {
      task_id: 'crm-task-42',
      map_handle: scrubbed.body.map_handle,
      items: scrubbed.body.items.map((i: Json) => ({ id: i.id, text: i.scrubbed_text })),
    })
    expect(back.status).toBe(200)
    expect(back.body.items.map((i: Json) => i.text)).toEqual(documented.items.map((i) => i.text))
    expect(back.body.stats).toEqual({ restored: 5, unresolved: 0 })
  })

  it('extends a map given map_handle: tokens stay stable across calls', async () => {
    const first = await post('/scrub', documented)
    const next = await post('/scrub', {
      ...documented,
      map_handle: first.body.map_handle,
      items: [{ id: 'note-3', text: 'Bluefin Capital and Anne Smith-Jones again.' }],
    })
    expect(next.status).toBe(200)
    expect(next.body.items[0].scrubbed_text).toBe('[ORG_1] and [PERSON_1] again.')
  })

  it('422 tier1_detected under tier1_action "reject", with kinds only', async () => {
    const res = await post('/scrub', {
      ...documented,
      tier1_action: 'reject',
      items: [{ id: 'n', text: 'Her SSN is 123-45-6789.' }],
    })
    expect(res.status).toBe(422)
    expect(res.type).toContain('application/json')
    expect(res.body).toMatchObject({ error: 'tier1_detected', spans: [{ item: 'n', kinds: ['ssn'] }] })
    expect(JSON.stringify(res.body)).not.toContain('6789')
  })

  it('ner "auto" (the default) and "qwen" scrub through the local LLM, or answer 422 ner_unavailable with a reason', async () => {
    const { ner: _rulesOnly, ...withDefault } = documented
    for (const body of [withDefault, { ...documented, ner: 'auto' }, { ...documented, ner: 'qwen' }]) {
      const res = await post('/scrub', body)
      if (target.demo) expect(res.status, 'the demo serves a Qwen model').toBe(200)
      if (res.status === 200) {
        // The documented request's names are known entities: the model pass only adds to them.
        expect(res.body.items[0].scrubbed_text).toBe('Call with [PERSON_1] ([EMAIL_1]) about [ORG_1].')
        continue
      }
      expect(res.status).toBe(422)
      expect(res.body).toMatchObject({ error: 'ner_unavailable', reason: expect.any(String) })
    }
  })

  it.runIf(!process.env.COMPAT_BASE_URL)(
    '422 ner_unavailable (no_model) while no model is served; nothing scrubbed',
    async () => {
      expect(
        (
          await fetch(target.url('/api/swap/stop'), {
            method: 'POST',
            body: '{}',
            headers: { 'content-type': 'application/json' },
          })
        ).status,
      ).toBe(200)
      for (const ner of ['auto', 'qwen']) {
        const res = await post('/scrub', { ...documented, ner })
        expect(res.status).toBe(422)
        expect(res.body).toMatchObject({ error: 'ner_unavailable', reason: 'no_model' })
        expect(JSON.stringify(res.body)).not.toContain('Smith-Jones')
      }
    },
  )

  it('400 bad_request for a malformed body; 404 map_not_found for an unknown handle', async () => {
    const bad = await post('/scrub', { task_id: 'x' })
    expect(bad).toMatchObject({ status: 400, body: { error: 'bad_request' } })
    const unknown = await post('/rehydrate', {
      task_id: 'x',
      map_handle: 'nope',
      items: [{ id: 1, text: '[PERSON_1]' }],
    })
    expect(unknown).toMatchObject({ status: 404, body: { error: 'map_not_found' } })
  })
})
