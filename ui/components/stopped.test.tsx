/** A chat model stopped on purpose reads as a choice (neutral, who and when), not as a fault. */
import { describe, expect, it } from 'vitest'
import type { ClusterStatus } from '../../shared/contracts/gateway.ts'
import { silentLogger } from '../../shared/logger.ts'
import { buildDashboard } from '../app.tsx'
import { sampleStatus, withUpstream } from '../fixtures/sample-status.ts'
import { fakeSwapSource, runningJob, sampleHistory } from '../fixtures/swap.ts'
import { dashboard, get } from '../fixtures/swap-app.ts'
import { toHtml } from '../status-stream.tsx'
import type { AuditEntry } from '../swap/source.ts'
import { operatorDetail, StatusCards } from './status-cards.tsx'
import { StatusSummary } from './status-summary.tsx'
import { deliberateStop } from './stopped.ts'

const NOW = new Date('2030-01-01T12:00:08Z')

const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  id: 99,
  at: '2030-01-01T11:58:00.000Z',
  actor: 'alice',
  action: 'swap.stop',
  target: 'qwen3-coder-30b',
  dry_run: false,
  outcome: 'ok',
  duration_ms: { stopping: 9000 },
  detail: 'stopped; teardown verified',
  request_id: null,
  ...over,
})

/** What the gateway reports with vLLM gone: the upstream down, the swap-controller degraded by it. */
function modelDown(): ClusterStatus {
  const base = withUpstream(sampleStatus(NOW), 'vllm', {
    state: 'down',
    ready: false,
    model: null,
    detail: 'vLLM is not reachable; retry in 5 s.',
  })
  return {
    ...base,
    overall: 'degraded',
    summary: 'The chat model server is down',
    loaded_model: null,
    services: base.services.map((s) =>
      s.name === 'swap-controller'
        ? {
            ...s,
            state: 'degraded' as const,
            detail: 'Working, but The chat model server is down.',
            dependencies: { vllm: { state: 'down' as const, critical: false } },
          }
        : s,
    ),
  }
}

describe('deliberateStop', () => {
  it('finds a completed stop when it is the newest change of model', () => {
    expect(deliberateStop([entry({}), ...sampleHistory()])).toEqual({
      actor: 'alice',
      at: '2030-01-01T11:58:00.000Z',
    })
  })

  it('ignores dry runs, refused switches and failed stops; a switch after the stop wins', () => {
    const later = [
      entry({ action: 'swap.stop', dry_run: true }),
      entry({ action: 'swap.start', outcome: 'refused' }),
      entry({ action: 'lock.acquire' }),
      entry({}),
    ]
    expect(deliberateStop(later)).toEqual({ actor: 'alice', at: '2030-01-01T11:58:00.000Z' })
    expect(deliberateStop([entry({ action: 'swap.start', outcome: 'ready' }), entry({})])).toBeNull()
    expect(deliberateStop([entry({ outcome: 'failed' })])).toBeNull()
    expect(deliberateStop(null)).toBeNull()
    expect(deliberateStop(sampleHistory())).toBeNull()
  })
})

describe('the overview after a deliberate stop', () => {
  const stopped = { actor: 'alice', at: '2030-01-01T11:58:00.000Z' }

  it('says "No chat model is loaded (stopped by …)" in a neutral tone when nothing else is wrong', async () => {
    const html = await toHtml(
      <StatusSummary view={{ ok: true, status: modelDown() }} simulated stopped={stopped} />,
    )
    expect(html).toContain('class="summary tone-off"')
    expect(html).toContain('data-stopped="true"')
    expect(html).toContain('No chat model is loaded (stopped by alice at 11:58 UTC)')
    expect(html).not.toContain('Needs attention')
    expect(html).not.toContain('is down')
  })

  it('keeps the warning when something else is wrong too, and names the stop on the model line', async () => {
    const status = {
      ...modelDown(),
      nodes: modelDown().nodes.map((n, i) =>
        i === 1 ? { ...n, reachable: false, state: 'down' as const } : n,
      ),
    }
    const html = await toHtml(<StatusSummary view={{ ok: true, status }} simulated stopped={stopped} />)
    expect(html).toContain('tone-warn')
    expect(html).toContain('No chat model loaded (stopped by alice at 11:58 UTC)')
  })

  it('shows the chat model server as Stopped (not Down) and the swap-controller as working', async () => {
    const html = await toHtml(
      <StatusCards view={{ ok: true, status: modelDown() }} now={NOW} stopped={stopped} />,
    )
    const vllm = /<li class="card[^"]*" data-card="upstream:vllm"[\s\S]*?<\/li>/.exec(html)![0]
    expect(vllm).toContain('data-state="stopped"')
    expect(vllm).toContain('tone-off')
    expect(vllm).toContain('Stopped on purpose by alice at 11:58 UTC.')
    const ctl = /<li class="card[^"]*" data-card="service:swap-controller"[\s\S]*?<\/li>/.exec(html)![0]
    expect(ctl).toContain('data-state="up"')
    expect(ctl).toContain('No chat model is loaded (stopped on purpose).')
  })

  it('without a stop on record, says the fault in operator words with a lower-case article mid-sentence', async () => {
    const html = await toHtml(<StatusCards view={{ ok: true, status: modelDown() }} now={NOW} />)
    expect(html).toContain('Working, but the chat model server is down.')
    expect(html).not.toContain('but The')
    expect(html).toContain('Not answering right now; Spark Control keeps checking.')
    expect(html).not.toContain('retry in 5 s')
    expect(operatorDetail('Kokoro is busy; retry in 3 s.')).toBe(
      'Kokoro is busy; Spark Control keeps checking.',
    )
    expect(operatorDetail('Working, but Qdrant is down.')).toBe('Working, but Qdrant is down.')
  })

  it('reads the stop from the swap-controller history on the overview page and the status fragment', async () => {
    const fake = fakeSwapSource({ history: [entry({}), ...sampleHistory()] })
    const t = fake.data.telemetry
    t.vllm = { ...t.vllm, models: [] }
    const app = dashboard(fake)
    // The sample status has a model loaded: a model started since the stop wins.
    const page = await get(app, '/')
    expect(page.html).not.toContain('stopped by alice')
    expect(fake.callsOf('history')[0]).toEqual([5])
    const fragment = await get(app, '/ui/fragments/status')
    expect(fragment.html).not.toContain('data-stopped')

    const down = downDashboard(fake)
    // Lock heartbeats, refused switches and dry runs after the stop do not push it out of sight:
    // only model changes that ran are read.
    const chatter = Array.from({ length: 40 }, (_, i) =>
      entry(
        i % 3 === 0
          ? { id: 200 + i, action: 'lock.extend' }
          : i % 3 === 1
            ? { id: 200 + i, action: 'swap.start', outcome: 'refused' }
            : { id: 200 + i, action: 'swap.start', dry_run: true, outcome: 'ready' },
      ),
    )
    fake.data.history = [...chatter, ...fake.data.history]
    for (const path of ['/', '/ui/fragments/status']) {
      const { html } = await get(down, path)
      expect(html, path).toContain('No chat model is loaded (stopped by alice at 11:58 UTC)')
      expect(html, path).toContain('data-state="stopped"')
      expect(html, path).not.toContain('NEEDS ATTENTION')
    }
  })
})

/** The dashboard over a cluster whose chat model server does not answer. */
const downDashboard = (fake: ReturnType<typeof fakeSwapSource>) =>
  buildDashboard({
    getStatus: () => Promise.resolve(modelDown()),
    simulated: true,
    logger: silentLogger(),
    shutdown: new AbortController().signal,
    now: () => NOW,
    swap: fake.source,
  })

describe('the overview during a switch', () => {
  it('says the model is being switched, not that its server is down', async () => {
    const fake = fakeSwapSource({ state: { state: 'loading', job: runningJob() } })
    const app = downDashboard(fake)
    const model = runningJob().model
    for (const path of ['/', '/ui/fragments/status']) {
      const { html } = await get(app, path)
      expect(html, path).toContain(`Switching the chat model to ${model} (started `)
      expect(html, path).not.toContain('Needs attention')
      expect(html, path).toContain('data-card="upstream:vllm" data-state="busy"')
      expect(html, path).toContain('Working. The chat model is being switched.')
    }
  })
})
