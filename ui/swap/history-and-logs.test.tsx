/** The History and Logs pages: the audit log in plain words, and the model containers' newest lines. */
import { describe, expect, it } from 'vitest'
import { AUDIT_OUTCOMES, LOCK_REFUSAL_REASONS } from '../../shared/contracts/swap-controller.ts'
import { fakeSwapSource } from '../fixtures/swap.ts'
import { dashboard, get, tagWith } from '../fixtures/swap-app.ts'

describe('GET /ui/history', () => {
  it('says every outcome the controller can write in plain words, never its code', async () => {
    const fake = fakeSwapSource()
    fake.data.history = AUDIT_OUTCOMES.map((outcome, i) => ({
      ...fake.data.history[2]!,
      id: 200 + i,
      outcome,
    }))
    const { html } = await get(dashboard(fake), '/ui/history')
    for (const outcome of AUDIT_OUTCOMES) {
      const cell = new RegExp(`<td data-label="Result" title="${outcome}">([^<]*)</td>`).exec(html)
      expect(cell?.[1], outcome).toMatch(/^[a-z ]+$/)
      if (outcome.includes('_')) expect(cell?.[1]).not.toContain(outcome)
    }
  })

  it('reads an earlier lock refusal written as a code as a sentence, and the expiry as words', async () => {
    const fake = fakeSwapSource()
    const row = fake.data.history[2]!
    fake.data.history = [
      ...LOCK_REFUSAL_REASONS.map((reason, i) => ({
        ...row,
        id: 300 + i,
        outcome: 'refused',
        detail: reason,
      })),
      { ...row, id: 310, outcome: 'refused', detail: 'other_holder; held by alice' },
      { ...row, id: 311, action: 'lock.expire', outcome: 'expired', detail: null },
    ]
    const { html } = await get(dashboard(fake), '/ui/history')
    for (const reason of LOCK_REFUSAL_REASONS) expect(html).not.toContain(reason)
    expect(html).toContain('Someone else holds the swap reservation (alice).')
    expect(html).toContain('The token given is not the swap reservation&#39;s token.')
    expect(html).toContain('Reservation ran out')
  })

  it('lists every audit entry with a dry-run badge and the total time', async () => {
    const fake = fakeSwapSource()
    const { res, html } = await get(dashboard(fake), '/ui/history')
    expect(res.status).toBe(200)
    expect(html).toContain('<a href="/ui/history" aria-current="page">History</a>')
    expect(html.match(/<tr data-audit="/g)).toHaveLength(3)
    const real = /<tr data-audit="12"[\s\S]*?<\/tr>/.exec(html)![0]
    expect(real).toContain('<span title="swap.start">Switch model</span><strong> llama-70b</strong>')
    expect(real).toContain('<td data-label="Result" title="ready">switched</td>')
    expect(real).not.toContain('dry run')
    expect(real).toContain('>3 min 45 s</td>')
    expect(real).toContain('<time datetime="2030-01-01T11:40:00.000Z">2030-01-01 11:40:00</time>')
    const dry = /<tr data-audit="11"[\s\S]*?<\/tr>/.exec(html)![0]
    expect(dry).toContain('<span class="badge tone-off">dry run</span>')
    expect(dry).toContain('>—</td>')
    expect(html).toContain('Force-release reservation')
    expect(fake.callsOf('history')).toEqual([[200]])
  })

  it('names every action in plain words, keeping the raw name in data-action and the title', async () => {
    const fake = fakeSwapSource()
    const raw = ['lock.extend', 'model.download', 'schedule.add', 'model.download.cancel', 'backup.run_now']
    fake.data.history = raw.map((action, i) => ({ ...fake.data.history[2]!, id: 100 + i, action }))
    const { html } = await get(dashboard(fake), '/ui/history')
    const words = [
      'Extend reservation',
      'Download model',
      'Schedule a switch',
      'Cancel download',
      'Backup: run now',
    ]
    raw.forEach((action, i) => {
      const row = new RegExp(`<tr data-audit="${100 + i}"[\\s\\S]*?</tr>`).exec(html)![0]
      expect(row).toContain(`data-action="${action}"`)
      expect(row).toContain(`<span title="${action}">${words[i]}</span>`)
    })
    // Each cell says which column it is, for the stacked layout on a phone.
    expect(html).toContain('<td data-label="Who">dashboard</td>')
  })

  it('says the history is not available when the read fails, with status 200', async () => {
    const fake = fakeSwapSource()
    fake.fail.history = new Error('connect ECONNREFUSED')
    const { res, html } = await get(dashboard(fake), '/ui/history')
    expect(res.status).toBe(200)
    expect(html).toContain('The history is not available right now; reload to retry.')
    expect(html).not.toContain('ECONNREFUSED')
    expect((await get(dashboard(fakeSwapSource({ history: [] })), '/ui/history')).html).toContain(
      'Nothing has changed on the cluster yet.',
    )
  })
})

describe('GET /ui/logs', () => {
  it("shows every node's newest lines, refreshing itself, with a filter per known node", async () => {
    const fake = fakeSwapSource()
    const { res, html } = await get(dashboard(fake), '/ui/logs')
    expect(res.status).toBe(200)
    expect(html).toContain('Loading safetensors checkpoint shards: 40% Completed')
    expect(html).toContain('INFO worker ready')
    expect(tagWith(html, 'id="log-lines"')).toContain('hx-trigger="every 2s"')
    expect(html).toContain('href="/ui/logs?node=spark-2"')
    expect(fake.calls.find((c) => c.method === 'recentLogs')?.args).toEqual([300])
  })

  it('filters by a known node only; an unknown or hostile one is ignored, never passed on', async () => {
    const fake = fakeSwapSource()
    const one = await get(dashboard(fake), '/ui/fragments/logs?node=spark-2')
    expect(one.html).toContain('INFO worker ready')
    expect(one.html).not.toContain('safetensors')
    for (const node of ['spark-9', '$(id)', '../etc']) {
      await get(dashboard(fake), `/ui/fragments/logs?node=${encodeURIComponent(node)}`)
    }
    const asked = fake.calls.filter((c) => c.method === 'recentLogs').map((c) => c.args[1])
    expect(asked).toEqual(['spark-2', undefined, undefined, undefined])
  })

  it('hides health-check access lines by default, with a link (no JavaScript needed) to show them', async () => {
    const fake = fakeSwapSource()
    const at = '2030-01-01T12:00:09.000Z'
    fake.data.logs = [
      { node: 'spark-1', line: 'INFO:     127.0.0.1:40112 - "GET /v1/models HTTP/1.1" 200 OK', at },
      { node: 'spark-1', line: 'INFO:     127.0.0.1:40114 - "GET /health HTTP/1.1" 200 OK', at },
      { node: 'spark-2', line: 'INFO:     192.0.2.5:40116 - "GET /metrics HTTP/1.1" 200 OK', at },
      {
        node: 'spark-1',
        line: 'INFO:     192.0.2.9:40118 - "POST /v1/chat/completions HTTP/1.1" 200 OK',
        at,
      },
      {
        node: 'spark-1',
        line: 'INFO:     127.0.0.1:40120 - "GET /health HTTP/1.1" 503 Service Unavailable',
        at,
      },
      { node: 'spark-1', line: 'Loading safetensors checkpoint shards: 40% Completed', at },
    ]
    const app = dashboard(fake)
    const { html } = await get(app, '/ui/logs?node=spark-1')
    expect(html).not.toContain('GET /v1/models')
    expect(html).not.toContain('GET /health HTTP/1.1&quot; 200')
    // Real requests and failed health checks say something: they stay.
    expect(html).toContain('POST /v1/chat/completions')
    expect(html).toContain('503 Service Unavailable')
    expect(html).toContain('data-hidden-health="2"')
    const toggle = tagWith(html, 'data-action="toggle-health"')
    expect(toggle).toContain('href="/ui/logs?node=spark-1&amp;health=show"')
    // The toggle is a link; the sentence before it says which way it is set.
    expect(html).toContain('every few seconds) are hidden.')
    expect(tagWith(html, 'id="log-lines"')).toContain('hx-get="/ui/fragments/logs?node=spark-1"')

    const shown = await get(app, '/ui/logs?node=spark-1&health=show')
    expect(shown.html).toContain('GET /v1/models')
    expect(tagWith(shown.html, 'data-action="toggle-health"')).toContain('href="/ui/logs?node=spark-1"')
    expect(tagWith(shown.html, 'id="log-lines"')).toContain(
      'hx-get="/ui/fragments/logs?node=spark-1&amp;health=show"',
    )
    // The node filter keeps the choice.
    expect(shown.html).toContain('href="/ui/logs?node=spark-2&amp;health=show"')
    expect((await get(app, '/ui/fragments/logs?health=show')).html).toContain('GET /metrics')
    expect((await get(app, '/ui/fragments/logs')).html).not.toContain('GET /metrics')
  })

  it('says so when health checks were all there was', async () => {
    const fake = fakeSwapSource()
    fake.data.logs = [
      {
        node: 'spark-1',
        line: 'INFO:     127.0.0.1:1 - "GET /health HTTP/1.1" 200 OK',
        at: '2030-01-01T12:00:09.000Z',
      },
    ]
    const { html } = await get(dashboard(fake), '/ui/fragments/logs')
    expect(html).toContain('Only health checks lately (1 line hidden)')
  })

  it('says the logs are unavailable, not an error page, when the controller does not answer', async () => {
    const fake = fakeSwapSource()
    fake.fail.recentLogs = new Error('connect ECONNREFUSED')
    const { res, html } = await get(dashboard(fake), '/ui/logs')
    expect(res.status).toBe(200)
    expect(html).toContain('not available right now')
  })
})
