/** The redaction page: the try-it forms with and without htmx, the placeholders marked by type, the counts. */
import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../shared/logger.ts'
import { buildDashboard } from '../app.tsx'
import { sampleStatus } from '../fixtures/sample-status.ts'
import { piecesOf } from './highlight.tsx'
import {
  type RedactionSource,
  RedactionSourceError,
  type RedactionStats,
  type ScrubAnswer,
  type ScrubTry,
} from './source.ts'

const SCRUBBED =
  '[PERSON_1] <b>wrote</b> to [EMAIL_1] about [BTC_ADDR_1]; card [REDACTED]. [PERSON_1] is the CFO of [ORG_1].'

const STATS: RedactionStats = {
  hours: 24,
  bucket_s: 3600,
  from: '2030-01-01T12:00:00.000Z',
  to: '2030-01-02T12:00:00.000Z',
  buckets: [
    { hour: '2030-01-01T12:00:00.000Z', scrubs: 1, types: { PERSON: 2 }, tier1: {} },
    {
      hour: '2030-01-02T11:00:00.000Z',
      scrubs: 2,
      types: { PERSON: 1, EMAIL: 3 },
      tier1: { card_number: 1 },
    },
  ],
  totals: { scrubs: 3, types: { PERSON: 3, EMAIL: 3 }, tier1: { card_number: 1 } },
}

function fakeRedaction(over: Partial<RedactionSource> = {}) {
  const calls: Array<{ what: string; ner?: string; hours?: number; handle?: string }> = []
  const source: RedactionSource = {
    async scrub(input: ScrubTry): Promise<ScrubAnswer> {
      calls.push({ what: 'scrub', ner: input.ner })
      const flagAt = SCRUBBED.indexOf('the CFO')
      return {
        task_id: 'dashboard-try',
        map_handle: 'h_123-abc',
        items: [{ id: 'text', scrubbed_text: SCRUBBED, tokens_used: ['[PERSON_1]', '[EMAIL_1]'] }],
        stats: {
          tier1_dropped: 1,
          tier2_tokenized: 4,
          distinct_entities: 4,
          descriptive_flags: [
            { item: 'text', span: [flagAt, flagAt + 'the CFO of [ORG_1]'.length], action: 'flag' },
          ],
        },
        expires_at: '2030-01-02T12:00:00.000Z',
      }
    },
    async rehydrate(handle, text) {
      calls.push({ what: 'rehydrate', handle })
      return { text: text.replace('[PERSON_1]', 'Jane <Roe>'), unresolved: ['[PERSON_9]'] }
    },
    async stats(hours) {
      calls.push({ what: 'stats', hours })
      return STATS
    },
    ...over,
  }
  return { source, calls }
}

function dashboard(redaction = fakeRedaction().source, loadedModel: string | null = null) {
  return buildDashboard({
    getStatus: async () => ({ ...sampleStatus(new Date('2030-01-01T12:00:08Z')), loaded_model: loadedModel }),
    simulated: true,
    logger: silentLogger(),
    shutdown: new AbortController().signal,
    redaction,
  })
}

const post = (htmx: boolean, fields: Record<string, string>): RequestInit => ({
  method: 'POST',
  body: new URLSearchParams(fields),
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...(htmx ? { 'HX-Request': 'true' } : {}) },
})

describe('GET /ui/redaction', () => {
  it('is in the nav, has plain forms that work without JavaScript, and the counts per type', async () => {
    const html = await (await dashboard().request('/ui/redaction')).text()
    expect(html).toContain('<a href="/ui/redaction" aria-current="page">Redaction</a>')
    expect(html).toMatch(/<form[^>]*method="post"[^>]*action="\/ui\/actions\/redaction\/scrub"/)
    expect(html).toMatch(/<tr data-count-type="PERSON" data-count-group="types">[\s\S]*?data-count="3"/)
    expect(html).toMatch(/data-count-type="card_number" data-count-group="tier1"[\s\S]*?dropped: card number/)
    expect(html).toContain('3 scrubs in the last 24 hours')
    expect(html).toContain('href="/ui/redaction?hours=168"')
  })

  it('offers rules only first, and says why, while the cluster serves no model; the model first while it does', async () => {
    const idle = await (await dashboard().request('/ui/redaction')).text()
    expect(idle).toMatch(/value="rules_only" checked/)
    expect(idle).toContain('The cluster serves no chat model right now')
    const serving = await (await dashboard(undefined, 'Qwen/Qwen3-8B').request('/ui/redaction')).text()
    expect(serving).toMatch(/value="auto" checked/)
    expect(serving).not.toContain('serves no chat model')
  })

  it('draws one bar per hour of the window where the counts fall', async () => {
    const html = await (await dashboard().request('/ui/fragments/redaction/counts?hours=24')).text()
    expect(html.startsWith('<div id="redaction-counts" data-hours="24"')).toBe(true)
    const emailRow = html.slice(html.indexOf('data-count-type="EMAIL"'))
    const bars = emailRow.slice(0, emailRow.indexOf('</svg>'))
    expect(bars).toContain('viewBox="0 0 24 20"')
    // Three emails in the window's last hour (index 23), nothing elsewhere.
    expect(bars.match(/<rect /g)).toHaveLength(1)
    expect(bars).toContain('x="23.1"')
  })

  it('asks for the window chosen, and falls back to a day for anything else', async () => {
    const red = fakeRedaction()
    await dashboard(red.source).request('/ui/fragments/redaction/counts?hours=168')
    await dashboard(red.source).request('/ui/fragments/redaction/counts?hours=99999')
    expect(red.calls.map((c) => c.hours)).toEqual([168, 24])
  })

  it('says the counts are not available when they cannot be read', async () => {
    const red = fakeRedaction({ stats: () => Promise.reject(new Error('down')) })
    const html = await (await dashboard(red.source).request('/ui/redaction')).text()
    expect(html).toContain('The counts are not available right now.')
    expect(html).toContain('data-action="scrub"')
  })
})

describe('the try-it forms', () => {
  it('marks each placeholder by type, escapes the text, lists the types and the flagged phrases (htmx)', async () => {
    const red = fakeRedaction()
    const res = await dashboard(red.source).request(
      '/ui/actions/redaction/scrub',
      post(true, { text: 'anything', ner: 'rules_only' }),
    )
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(red.calls[0]).toEqual({ what: 'scrub', ner: 'rules_only' })
    expect(html.startsWith('<div id="redaction-result"')).toBe(true)
    expect(html).toMatch(/<mark class="ph ph-c\d+" data-type="PERSON" title="person">\[PERSON_1\]<\/mark>/)
    expect(html).toMatch(/data-type="EMAIL"[^>]*>\[EMAIL_1\]/)
    expect(html).toMatch(/data-type="BTC_ADDR"[^>]*>\[BTC_ADDR_1\]/)
    expect(html).toMatch(/<mark class="ph ph-dropped" data-type="REDACTED"[^>]*>\[REDACTED\]/)
    expect(html).toContain('&lt;b&gt;wrote&lt;/b&gt;')
    expect(html).not.toContain('<b>wrote</b>')
    expect(html).toMatch(/data-legend="PERSON"[\s\S]*?person × 1/)
    expect(html).toMatch(/data-flags="1"[\s\S]*?<li>the CFO of \[ORG_1\]<\/li>/)
    expect(html).toContain('value="h_123-abc"')
    // The counts come along out of band, so they move with the scrub.
    expect(html).toMatch(/<div id="redaction-counts" data-hours="24" hx-swap-oob="true">/)
  })

  it('without JavaScript the whole page comes back with the result and the text kept', async () => {
    const res = await dashboard().request(
      '/ui/actions/redaction/scrub',
      post(false, { text: 'Ann <x>', ner: 'auto' }),
    )
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('<!doctype html>')
    expect(html).toContain('data-type="PERSON"')
    expect(html).toContain('Ann &lt;x&gt;</textarea>')
    expect(html).toMatch(/value="auto" checked/)
  })

  it('says why the names pass by the model could not run, and that nothing was hidden', async () => {
    const err = new RedactionSourceError(422, 'ner_unavailable', 'No chat model is loaded.', 'no_model')
    const red = fakeRedaction({ scrub: () => Promise.reject(err) })
    const html = await (
      await dashboard(red.source).request(
        '/ui/actions/redaction/scrub',
        post(true, { text: 'x', ner: 'auto' }),
      )
    ).text()
    expect(html).toContain('role="alert"')
    expect(html).toContain('no chat model is loaded')
    expect(html).toContain('nothing was hidden')
    expect(html).not.toContain('redaction-counts')
  })

  it('refuses an empty text, an unknown names choice, and an over-long text before asking anything', async () => {
    const red = fakeRedaction()
    const app = dashboard(red.source)
    for (const [fields, words] of [
      [{ text: '  ', ner: 'rules_only' }, 'Paste some text'],
      [{ text: 'x', ner: 'cloud' }, 'Choose how to find names'],
      [{ text: 'x'.repeat(20_001), ner: 'rules_only' }, 'up to 20000'],
    ] as const) {
      const res = await app.request('/ui/actions/redaction/scrub', post(false, fields))
      expect(res.status, words).toBe(422)
      expect(await res.text()).toContain(words)
    }
    expect(red.calls.filter((c) => c.what === 'scrub')).toEqual([])
  })

  it('puts the values back into a reply, escaped, and lists the placeholders the map does not hold', async () => {
    const red = fakeRedaction()
    const fields = { map_handle: 'h_123-abc', reply: 'Dear [PERSON_1] and [PERSON_9]', scrubbed: SCRUBBED }
    const html = await (
      await dashboard(red.source).request('/ui/actions/redaction/rehydrate', post(true, fields))
    ).text()
    expect(red.calls).toEqual([{ what: 'rehydrate', handle: 'h_123-abc' }])
    expect(html.startsWith('<div id="redaction-restored"')).toBe(true)
    expect(html).toContain('Dear Jane &lt;Roe&gt; and [PERSON_9]')
    expect(html).toMatch(/data-unresolved="1"[\s\S]*?<code>\[PERSON_9\]<\/code>/)
  })

  it('without JavaScript the page comes back with the scrubbed text and the restored reply', async () => {
    const fields = { map_handle: 'h_123-abc', reply: '[PERSON_1]!', scrubbed: SCRUBBED }
    const html = await (
      await dashboard().request('/ui/actions/redaction/rehydrate', post(false, fields))
    ).text()
    expect(html).toContain('<!doctype html>')
    expect(html).toMatch(/id="redaction-scrubbed-text"[\s\S]*?data-type="BTC_ADDR"/)
    expect(html).toContain('Jane &lt;Roe&gt;!')
  })

  it('says the map is gone on 404/410, and refuses a handle of the wrong shape without asking', async () => {
    const gone = fakeRedaction({
      rehydrate: () => Promise.reject(new RedactionSourceError(410, 'map_expired', 'gone')),
    })
    const html = await (
      await dashboard(gone.source).request(
        '/ui/actions/redaction/rehydrate',
        post(true, { map_handle: 'h1', reply: '[PERSON_1]' }),
      )
    ).text()
    expect(html).toContain('Hide the details again')
    const red = fakeRedaction()
    const bad = await (
      await dashboard(red.source).request(
        '/ui/actions/redaction/rehydrate',
        post(true, { map_handle: '../x y', reply: '[PERSON_1]' }),
      )
    ).text()
    expect(bad).toContain('Scrub a text first.')
    expect(red.calls).toEqual([])
  })
})

describe('piecesOf', () => {
  it('splits placeholders from text and keeps every character', () => {
    const text = 'a [PERSON_12] b [BTC_ADDR_3][REDACTED] [not_a_token] [LOC_x]'
    const pieces = piecesOf(text)
    expect(pieces.map((p) => ('token' in p ? p.token : p.text)).join('')).toBe(text)
    expect(pieces.filter((p) => 'token' in p).map((p) => ('token' in p ? p.type : ''))).toEqual([
      'PERSON',
      'BTC_ADDR',
      'REDACTED',
    ])
  })
})
