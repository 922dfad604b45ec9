/** One state for the whole overview while a switch runs: the gateway's `switching` decides it. */
import { describe, expect, it } from 'vitest'
import type { ClusterStatus } from '../../shared/contracts/gateway.ts'
import { sampleStatus } from '../fixtures/sample-status.ts'
import { runningJob } from '../fixtures/swap.ts'
import { toHtml } from '../status-stream.tsx'
import { SwapProgress } from '../swap/progress.tsx'
import { StatusCards } from './status-cards.tsx'
import { StatusSummary } from './status-summary.tsx'

const switchingStatus = (): ClusterStatus => ({
  ...sampleStatus(new Date('2030-01-01T12:00:08Z')),
  overall: 'ok',
  summary: 'Switching the chat model to meta/Llama-70B (about 40 s left)',
  switching: {
    job_id: 'swp_0123456789abcdef',
    status: 'loading',
    recipe: 'llama-70b',
    model: 'meta/Llama-70B',
    from_model: 'Qwen/Qwen3-8B',
    started_at: '2030-01-01T12:00:00.000000+00:00',
    percent: 40,
    eta_s: 40,
  },
})

describe('the overview during a switch', () => {
  it('says switching in the label, the sentence and the busy list, never "Everything is working"', async () => {
    const html = await toHtml(
      <StatusSummary view={{ ok: true, status: switchingStatus() }} simulated={false} />,
    )
    expect(html).toContain('Switching models')
    expect(html).toContain('Switching the chat model to meta/Llama-70B')
    expect(html).toContain('<li data-busy="switch"><strong>Chat is switching models</strong>')
    expect(html).not.toContain('Everything is working')
    expect(html).not.toContain('Nothing is busy right now')
    // One countdown on the page: the progress panel's, from the same read as the rest.
    expect(html).toContain('Switching the chat model to meta/Llama-70B (started 12:00 UTC)')
    expect(html).not.toContain('s left')
  })

  it('says the chat capability is switching, not down, while the planned switch runs', async () => {
    const status = switchingStatus()
    status.capabilities = status.capabilities.map((c) =>
      c.needs.includes('vllm') ? { ...c, state: 'down', ready: false, detail: 'vllm is down' } : c,
    )
    const html = await toHtml(
      <StatusCards view={{ ok: true, status }} now={new Date('2030-01-01T12:00:09Z')} />,
    )
    const chat = /<li[^>]*data-capability="chat"[\s\S]*?<\/li>/.exec(html)?.[0] ?? ''
    expect(chat).toContain('data-state="busy"')
    expect(chat).toContain('Switching to meta/Llama-70B')
    expect(chat).not.toContain('Down')
    const after = await toHtml(
      <StatusCards
        view={{ ok: true, status: { ...status, switching: null } }}
        now={new Date('2030-01-01T12:00:09Z')}
      />,
    )
    expect(/<li[^>]*data-capability="chat"[^>]*>/.exec(after)?.[0]).toContain('data-state="down"')
  })

  it('drops the countdown and Cancel once the load reached 100 %', async () => {
    const loading = runningJob('llama-70b')
    const mid = await toHtml(<SwapProgress data={{ state: { state: 'loading', job: loading }, logs: [] }} />)
    expect(mid).toContain('data-action="cancel"')
    const progress = { phase: 'api-starting', phase_percent: 100, percent: 100, eta_s: 5, stalled: false }
    const full = runningJob('llama-70b', { status: 'warming', progress })
    const done = await toHtml(<SwapProgress data={{ state: { state: 'warming', job: full }, logs: [] }} />)
    expect(done).toContain('100 % done')
    expect(done).toContain('almost done')
    expect(done).not.toContain('s left')
    expect(done).not.toContain('data-action="cancel"')
  })
})
