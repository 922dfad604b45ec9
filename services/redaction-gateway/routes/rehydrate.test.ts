import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type RedactionHarness, redactionHarness } from './scrub-testing.ts'

let h: RedactionHarness
beforeEach(async () => {
  h = await redactionHarness()
})
afterEach(async () => {
  await h.close()
})

const KNOWN = {
  persons: ['Anne Smith-Jones', 'Jürgen Weiß'],
  orgs: ['Bluefin Capital'],
  funds: ['Harbor Fund III'],
}

/** Items without Tier-1 data, each entity written once (or always the same way) so the round trip is exact. */
const ROUND_TRIP = [
  'Anne Smith-Jones called about the Q3 report.',
  'Email jane.doe@example.com or call +1 415 555 0134.',
  'Meeting with Jürgen Weiß on March 12, 2026 at 3pm.',
  'Wire of $2.5m into Harbor Fund III is planned.',
  'See https://bluefin.example/deck and @bluefin_cap on X.',
  'Office: 221B Baker Street, London.',
  'Bluefin Capital invested €400k in 2025.',
  'Send to bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq please.',
  'Server 203.0.113.24 is down again.',
  'Dr. Maria Gonzalez joins on Monday.',
  'Ticket 8841-2290-117 was closed.',
  'The txid is 4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b.',
  'Carol Diaz wrote to carol.diaz@diaz.example twice.',
  'Lunch with Peter Novak from Acme Robotics Inc.',
  'Her number changed to (212) 555-0199.',
  'Budget is 1.2 million dollars for 2027.',
  'Nothing to hide in this sentence at all.',
  'Plain text with [brackets] and [PERSON_7] typed by a user.',
  'A JSON-ish line: {"name": "Anne Smith-Jones", "org": "Bluefin Capital"}',
  'Unicode: Zoë Müller met François Dupont in Genève.',
  'Emoji 🎉 and Anne Smith-Jones on one line.',
  'Multi\nline\nnote from Peter Novak\n',
  'Follow-up on 2026-04-01 with the team.',
  'xpub6CUGRUonZSQ4TWtTMmzXdrXDtypWKiKrhko4egpiMZbpiaQL2jkwSB1icqYh2cfDfVxdx4df189oLKnC5fSwqPfgyP3hooxujYzAu3fDVmz is the watch key.',
  'Call me at 020 7946 0958 tomorrow.',
  'Price moved from $31,200 to $29,800.',
  'Harbor Fund III closes soon.',
  'Visit www.example.org/about for more.',
  'Sam Altman and Satya Nadella spoke.',
  'The address is 1600 Amphitheatre Parkway, Mountain View.',
  'lnurl1dp68gurn8ghj7um9wfmxjcm99e3k7mf0v9cxj0m385ekvcenxc6r2c35xvukxefcv5mkvv34x5ekzd3ev56nyd3hxqurzepexejxxepnxscrvwfnv9nxzcn9xq6xyefhvgcxxcmyxymnserxfq5fns is the link.',
  'Regards, Jürgen Weiß',
  'Carol wrote nothing else.',
  'Amounts like USD 5,000 and 250 EUR.',
  'On 5 May 2026 Bluefin Capital signs.',
  'He said "see you at 10 Downing Street".',
]

const items = (texts: string[]) => texts.map((text, i) => ({ id: i, text }))

async function scrub(texts: string[], extra: Record<string, unknown> = {}) {
  const body = { task_id: 't', items: items(texts), known_entities: KNOWN, ner: 'rules_only', ...extra }
  const res = await h.post('/scrub', body)
  expect(res.status).toBe(200)
  return res.body as { map_handle: string; items: { id: number; scrubbed_text: string }[] }
}

async function rehydrate(handle: string, texts: string[]) {
  return h.post('/rehydrate', { task_id: 't', map_handle: handle, items: items(texts) })
}

describe('POST /rehydrate', () => {
  it('restores every item of a scrub exactly: rehydrate(scrub(x)) == x', async () => {
    const scrubbed = await scrub(ROUND_TRIP)
    const changed = scrubbed.items.filter((item, i) => item.scrubbed_text !== ROUND_TRIP[i])
    expect(changed.length).toBeGreaterThan(ROUND_TRIP.length / 2)
    const back = await rehydrate(
      scrubbed.map_handle,
      scrubbed.items.map((i) => i.scrubbed_text),
    )
    expect(back.status).toBe(200)
    expect(back.body.items.map((i: { text: string }) => i.text)).toEqual(ROUND_TRIP)
    expect(back.body.stats.unresolved).toBe(0)
    expect(back.body.stats.restored).toBeGreaterThan(20)
  })

  it('answers the chosen shape, restores tolerant forms, and reports unknown tokens unresolved', async () => {
    const { map_handle } = await scrub(['Anne Smith-Jones mailed carol@diaz.example'])
    const { status, body } = await rehydrate(map_handle, [
      'Dear [person_1], about [ EMAIL-1 ] and [PERSON_9].',
    ])
    expect(status).toBe(200)
    expect(body).toEqual({
      task_id: 't',
      map_handle,
      items: [
        {
          id: 0,
          text: 'Dear Anne Smith-Jones, about carol@diaz.example and [PERSON_9].',
          unresolved: ['[PERSON_9]'],
        },
      ],
      stats: { restored: 2, unresolved: 1 },
    })
  })

  it('takes the {text} convenience form', async () => {
    const { map_handle } = await scrub(['Anne Smith-Jones'])
    const { status, body } = await h.post('/rehydrate', { map_handle, text: 'Hi [PERSON_1]!' })
    expect(status).toBe(200)
    expect(body).toEqual({
      map_handle,
      text: 'Hi Anne Smith-Jones!',
      unresolved: [],
      stats: { restored: 1, unresolved: 0 },
    })
  })

  it('takes OpenAI chat messages: contents, text parts and tool-call arguments (JSON-escaped)', async () => {
    const { map_handle } = await scrub(['Anne Smith-Jones said "hi" to Bluefin Capital'])
    const messages = [
      { role: 'system', content: 'Be brief.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Who is [PERSON_1]?' },
          { type: 'image_url', image_url: { url: 'x' } },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'c1',
            type: 'function',
            function: { name: 'crm', arguments: '{"who":"[PERSON_1]","q":"[PERSON_2]"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: '[ORG_1] is a client.' },
    ]
    const { status, body } = await h.post('/rehydrate', { map_handle, messages })
    expect(status).toBe(200)
    expect(body.messages[0]).toEqual(messages[0])
    expect(body.messages[1].content).toEqual([
      { type: 'text', text: 'Who is Anne Smith-Jones?' },
      { type: 'image_url', image_url: { url: 'x' } },
    ])
    const args = JSON.parse(body.messages[2].tool_calls[0].function.arguments)
    expect(args).toEqual({ who: 'Anne Smith-Jones', q: '[PERSON_2]' })
    expect(body.messages[3]).toEqual({
      role: 'tool',
      tool_call_id: 'c1',
      content: 'Bluefin Capital is a client.',
    })
    expect(body.unresolved).toEqual(['[PERSON_2]'])
    expect(body.stats).toEqual({ restored: 3, unresolved: 1 })
  })

  it('never gives one map the values of another', async () => {
    const a = await scrub(['Anne Smith-Jones and carol@diaz.example'])
    const b = await scrub(['Peter Novak and peter@novak.example'])
    expect(a.items[0]!.scrubbed_text).toBe(b.items[0]!.scrubbed_text)
    const fromA = await rehydrate(a.map_handle, [b.items[0]!.scrubbed_text])
    const fromB = await rehydrate(b.map_handle, [a.items[0]!.scrubbed_text])
    expect(fromA.body.items[0].text).toBe('Anne Smith-Jones and carol@diaz.example')
    expect(fromB.body.items[0].text).toBe('Peter Novak and peter@novak.example')
  })

  it('answers 404 for an unknown handle, 410 for an expired one, 400 for a bad body', async () => {
    expect(await rehydrate('no-such-map', ['[PERSON_1]'])).toMatchObject({
      status: 404,
      body: { error: 'map_not_found' },
    })
    const { map_handle } = await scrub(['Anne Smith-Jones'])
    h.clock.now += 2 * 24 * 3600_000
    expect(await rehydrate(map_handle, ['[PERSON_1]'])).toMatchObject({
      status: 410,
      body: { error: 'map_expired' },
    })
    for (const bad of [
      { items: [] },
      { map_handle, items: [{ id: 1 }] },
      { map_handle, text: 'x', items: [] },
    ]) {
      expect(await h.post('/rehydrate', bad)).toMatchObject({ status: 400, body: { error: 'bad_request' } })
    }
  })
})
