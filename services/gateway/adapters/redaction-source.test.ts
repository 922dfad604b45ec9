import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { type FakeUpstream, startFake } from '../../../shared/testing/fake-upstream.ts'
import { RedactionSourceError } from '../../../ui/ports.ts'
import { createRedactionSource } from './redaction-source.ts'

const fakes: FakeUpstream[] = []
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()))
})

async function gatewayOf(app: Hono, timeoutMs = 2000) {
  const fake = await startFake(app)
  fakes.push(fake)
  return createRedactionSource({ baseUrl: fake.url, timeoutMs, scrubTimeoutMs: timeoutMs })
}

const SCRUBBED = {
  task_id: 'dashboard-try',
  map_handle: 'h1',
  items: [{ id: 'text', scrubbed_text: '[PERSON_1] paid', tokens_used: ['[PERSON_1]'] }],
  stats: { tier1_dropped: 0, tier2_tokenized: 1, distinct_entities: 1, descriptive_flags: [] },
  expires_at: '2030-01-01T00:00:00.000Z',
}

describe('the dashboard’s redaction source', () => {
  it('scrubs one item with the names choice, and rehydrates in the {text} form', async () => {
    const seen: unknown[] = []
    const app = new Hono()
    app.post('/scrub', async (c) => {
      seen.push(await c.req.json())
      return c.json(SCRUBBED)
    })
    app.post('/rehydrate', async (c) => {
      seen.push(await c.req.json())
      return c.json({
        map_handle: 'h1',
        text: 'Ann paid',
        unresolved: [],
        stats: { restored: 1, unresolved: 0 },
      })
    })
    const source = await gatewayOf(app)
    expect((await source.scrub({ text: 'Ann paid', ner: 'rules_only' })).items[0]?.scrubbed_text).toBe(
      '[PERSON_1] paid',
    )
    expect(await source.rehydrate('h1', '[PERSON_1] paid')).toEqual({ text: 'Ann paid', unresolved: [] })
    expect(seen).toEqual([
      {
        task_id: 'dashboard-try',
        actor: 'dashboard',
        ner: 'rules_only',
        items: [{ id: 'text', text: 'Ann paid' }],
      },
      { task_id: 'dashboard-try', map_handle: 'h1', text: '[PERSON_1] paid' },
    ])
  })

  it('passes a refusal on with its code, words and reason', async () => {
    const app = new Hono()
    app.post('/scrub', (c) =>
      c.json({ error: 'ner_unavailable', detail: 'No chat model is loaded.', reason: 'no_model' }, 422),
    )
    app.get('/api/redaction/stats', (c) =>
      c.json({ type: 'about:blank', status: 503, detail: 'The redaction counts could not be opened.' }, 503),
    )
    const source = await gatewayOf(app)
    const err = await source.scrub({ text: 'x', ner: 'auto' }).catch((e) => e)
    expect(err).toBeInstanceOf(RedactionSourceError)
    expect(err).toMatchObject({ status: 422, code: 'ner_unavailable', reason: 'no_model' })
    expect(err.message).toBe('No chat model is loaded.')
    const down = await source.stats(24).catch((e) => e)
    expect(down).toMatchObject({ status: 503, message: 'The redaction counts could not be opened.' })
  })

  it('asks the counts for the window, and answers 502 when an answer is outside the contract', async () => {
    const asked: string[] = []
    const app = new Hono()
    app.get('/api/redaction/stats', (c) => {
      asked.push(c.req.query('hours') ?? '')
      return c.json({ hours: 24, buckets: 'none' })
    })
    const source = await gatewayOf(app)
    const err = await source.stats(168).catch((e) => e)
    expect(asked).toEqual(['168'])
    expect(err).toMatchObject({ status: 502 })
    expect(err.message).toContain('does not match the contract')
  })
})
