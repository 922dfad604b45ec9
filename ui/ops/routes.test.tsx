/**
 * The operations page as the dashboard serves it, against a fake swap-controller: the service
 * cards, the restart question (dry-run commands) and its answer, the patches and their re-apply
 * report, the sweeps with their knee; a controller that does not answer, or answers out of
 * contract, said plainly in place; nothing changes without a confirmed form.
 */
import { describe, expect, it } from 'vitest'
import { upstreamFailed } from '../../shared/errors.ts'
import { fakeOps, sampleServices, sweepResult } from '../fixtures/ops.ts'
import { elementOf, getHtml, opsDashboard, postForm } from '../fixtures/ops-app.ts'
import { OPS_PATHS } from './paths.ts'
import { OpsSourceError } from './source.ts'

/** The commands as a person reads them (JSX escapes their quotes). */
const unescaped = (html: string) => html.replaceAll('&#39;', "'")

describe('GET /ui/ops', () => {
  it('shows a card per service with its pill, memory, health and a Restart button', async () => {
    const { res, html } = await getHtml(opsDashboard(), '/ui/ops')
    expect(res.status).toBe(200)
    expect(html).toContain('<a href="/ui/ops" aria-current="page">Operations</a>')
    const names = [...html.matchAll(/<article class="card[^"]*" data-service="([^"]+)"/g)].map((m) => m[1])
    expect(names).toEqual(['parakeet', 'kokoro', 'embeddings', 'qdrant'])
    const parakeet = elementOf(html, 'article', 'data-service', 'parakeet')
    expect(parakeet).toContain('data-pill="healthy"')
    expect(parakeet).toContain('parakeet-asr')
    expect(parakeet).toContain('6.0 GiB of a 24 GiB cap (25 %)')
    expect(parakeet).toContain('answering (HTTP 200 in 12 ms)')
    expect(parakeet).toContain('restarted automatically (health timed out 3 times)')
    expect(parakeet).toContain(`hx-get="${OPS_PATHS.restartConfirm}?service=parakeet"`)
    expect(parakeet).toContain('href="/ui/ops?restart=parakeet"')
    // The cards poll their own fragment.
    expect(html).toMatch(/id="ops-services" hx-get="\/ui\/fragments\/ops\/services" hx-trigger="every 5s"/)
  })

  it('hides services DISABLED_SERVICES names and says so', async () => {
    const fake = fakeOps()
    fake.state.services = sampleServices({ qdrant: { disabled: true } })
    const { html } = await getHtml(opsDashboard(fake), OPS_PATHS.services)
    expect(html).not.toContain('data-service="qdrant"')
    expect(html).toContain('Hidden by DISABLED_SERVICES: qdrant.')
  })

  it('says plainly that the swap-controller is not answering, in every section', async () => {
    const fake = fakeOps()
    fake.state.fail = Object.assign(new Error('connect ECONNREFUSED'), { status: 503 })
    const { res, html } = await getHtml(opsDashboard(fake), '/ui/ops')
    expect(res.status).toBe(200)
    expect(html.match(/data-ops-problem="down"/g)).toHaveLength(3)
    expect(html).toContain('The swap-controller is not answering, so the service containers cannot be shown.')
    expect(html).not.toContain('undefined')
  })

  it('shows an answer out of contract as an error box naming the field, never undefined', async () => {
    const fake = fakeOps()
    fake.state.fail = upstreamFailed(
      'swap-controller',
      'its answer to GET /api/ops/services does not match the contract (services.0.pill: Invalid enum value)',
    )
    const { html } = await getHtml(opsDashboard(fake), '/ui/ops')
    expect(html).toContain('data-ops-problem="mismatch"')
    expect(html).toContain('services.0.pill: Invalid enum value')
    expect(html).not.toContain('undefined')
  })
})

describe('restarting a service', () => {
  it('asks first with the plan in words and the dry run’s exact commands, then restarts as the person', async () => {
    const fake = fakeOps()
    const app = opsDashboard(fake, { actor: 'owner' })
    const { html: question } = await getHtml(app, `${OPS_PATHS.restartConfirm}?service=parakeet`)
    expect(question).toContain('Restart parakeet on spark-2?')
    expect(question).toContain('Docker on spark-2 stops the container parakeet-c and starts it again.')
    expect(unescaped(question)).toContain("spark-2$ 'docker' 'restart' '--time' '10' 'parakeet-c'")
    expect(question).toContain('<input type="hidden" name="confirm" value="true"/>')
    expect(fake.calls).toEqual([{ what: 'restart', args: ['parakeet', 'dry_run'], actor: 'dashboard:owner' }])

    const { html } = await postForm(app, OPS_PATHS.restart, [
      ['service', 'parakeet'],
      ['confirm', 'true'],
    ])
    expect(fake.calls[1]).toEqual({
      what: 'restart',
      args: ['parakeet', 'confirm'],
      actor: 'dashboard:owner',
    })
    expect(html).toContain('data-restart-result="parakeet" data-tone="good"')
    expect(html).toContain('Restarted parakeet in 4.2 s. Health after: answering (HTTP 200 in 15 ms).')
    expect(html).toContain('id="ops-services"')
    expect(html).toContain('hx-swap-oob="true"')
  })

  it('restarts nothing without the confirmation, or for a name that is not a service name', async () => {
    const fake = fakeOps()
    const app = opsDashboard(fake)
    const { html } = await postForm(app, OPS_PATHS.restart, [['service', 'parakeet']])
    expect(html).toContain('the question was not answered with yes')
    await postForm(app, OPS_PATHS.restart, [
      ['service', 'x;reboot'],
      ['confirm', 'true'],
    ])
    expect(fake.calls).toEqual([])
  })

  it('says a refusal during a swap of the node plainly', async () => {
    const fake = fakeOps()
    fake.state.refuseRestart = new OpsSourceError(409, 'a model swap is running on spark-2', 'conflict')
    const { html } = await postForm(opsDashboard(fake), OPS_PATHS.restart, [
      ['service', 'parakeet'],
      ['confirm', 'true'],
    ])
    expect(html).toContain('parakeet was not restarted: a model switch is using its node')
    expect(html).toContain('a model swap is running on spark-2')
  })

  it('without JavaScript: the question is the page, and the answer a notice on it', async () => {
    const fake = fakeOps()
    const app = opsDashboard(fake)
    const { html: asked } = await getHtml(app, '/ui/ops?restart=kokoro')
    expect(elementOf(asked, 'div', 'id', 'ops-restart-confirm')).toContain('Restart kokoro on spark-2?')
    const { res } = await postForm(
      app,
      OPS_PATHS.restart,
      [
        ['service', 'kokoro'],
        ['confirm', 'true'],
      ],
      false,
    )
    expect(res.status).toBe(303)
    const { html } = await getHtml(app, res.headers.get('location')!)
    expect(html).toContain('Restarted kokoro in 4.2 s.')
  })
})

describe('patches', () => {
  it('lists each patch with its state and offers to re-apply the missing ones', async () => {
    const { html } = await getHtml(opsDashboard(), '/ui/ops')
    expect(elementOf(html, 'tr', 'data-patch', 'parakeet-memory-cap')).toContain('data-pill="missing"')
    expect(elementOf(html, 'tr', 'data-patch', 'kokoro-restart-policy')).toContain('data-pill="applied"')
    expect(html).toContain('data-action="reapply"')
  })

  it('shows the dry run’s commands per patch, then a step report after the confirmed run', async () => {
    const fake = fakeOps()
    const app = opsDashboard(fake)
    const { html: question } = await getHtml(app, OPS_PATHS.patchesConfirm)
    expect(question).toContain('Re-apply 1 missing patch?')
    expect(unescaped(question)).toContain(
      "spark-2$ 'docker' 'update' '--memory' '24g' '--memory-swap' '24g' 'parakeet-asr'",
    )
    expect(question).not.toContain('data-plan-patch="kokoro-restart-policy"')
    const { html } = await postForm(app, OPS_PATHS.applyPatches, [
      ['ids', 'parakeet-memory-cap'],
      ['confirm', 'true'],
    ])
    expect(fake.calls.at(-1)).toEqual({
      what: 'applyPatches',
      args: [['parakeet-memory-cap'], 'confirm'],
      actor: 'dashboard',
    })
    expect(html).toContain('data-patch-report="ok"')
    expect(html).toContain('check again: ok')
  })

  it('without JavaScript: the dry run is the page, the report a notice on it', async () => {
    const app = opsDashboard()
    const { html: asked } = await getHtml(app, '/ui/ops?patches=apply')
    expect(elementOf(asked, 'div', 'id', 'ops-patches-confirm')).toContain('Re-apply 1 missing patch?')
    const { res } = await postForm(app, OPS_PATHS.applyPatches, [['confirm', 'true']], false)
    expect(res.status).toBe(303)
    const { html } = await getHtml(app, res.headers.get('location')!)
    expect(html).toContain('The missing patches are applied.')
    expect(html).toContain('parakeet-memory-cap on parakeet: applied: the check passes now')
  })

  it('reports a check that still fails after apply as a problem', async () => {
    const fake = fakeOps()
    fake.state.recheckOk = false
    const { html } = await postForm(opsDashboard(fake), OPS_PATHS.applyPatches, [['confirm', 'true']])
    expect(html).toContain('data-patch-report="problem"')
    expect(html).toContain('1 patch was not applied')
    expect(elementOf(html, 'li', 'data-run-patch', 'parakeet-memory-cap')).toContain('data-outcome="bad"')
    expect(elementOf(html, 'li', 'data-step', 'recheck')).toContain(
      'check again: still fails after apply — HostConfig.Memory is 0',
    )
  })
})

describe('sweeps', () => {
  it('shows the latest result per target with the knee and the recommended setting', async () => {
    const { html } = await getHtml(opsDashboard(), '/ui/ops')
    const asr = elementOf(html, 'section', 'data-sweep-target', 'asr')
    expect(asr).toContain('<tr data-level="3" data-knee="true">')
    expect(asr).toContain('Recommended limit: 3 requests at once — set SPEECH_LANE_ASR=3.')
    expect(asr).toContain('Throughput stops growing after 3')
    expect(elementOf(html, 'section', 'data-sweep-target', 'tts')).toContain('Not measured yet.')
    expect(html).not.toContain('hx-get="/ui/fragments/ops/sweeps"')
  })

  it('starts a sweep after asking, then shows its progress on a polling panel', async () => {
    const fake = fakeOps()
    const app = opsDashboard(fake)
    const { html: question } = await getHtml(app, `${OPS_PATHS.sweepConfirm}?sweep=tts`)
    expect(question).toContain('Run a concurrency sweep of Text to speech (kokoro)?')
    expect(question).not.toContain('confirm_live')
    expect(question).toContain('Levels 1, 2, 3, 4, 6, 8; 10 s each.')
    const { html } = await postForm(app, OPS_PATHS.startSweep, [
      ['target', 'tts'],
      ['confirm', 'true'],
    ])
    expect(fake.calls.map((c) => c.args[0])).toEqual([
      { target: 'tts', dry_run: true },
      { target: 'tts', confirm: true },
    ])
    expect(html).toContain('Started a sweep of Text to speech (kokoro)')
    expect(html).toContain('data-sweep-running="sw-tts-new"')
    expect(html).toContain('hx-get="/ui/fragments/ops/sweeps" hx-trigger="every 2s"')
  })

  it('on real Sparks asks that the GPU load be acknowledged, and starts nothing without it', async () => {
    const fake = fakeOps()
    const app = opsDashboard(fake, { simulated: false })
    const { html: question } = await getHtml(app, `${OPS_PATHS.sweepConfirm}?sweep=asr`)
    expect(question).toContain('<strong>This loads the GPU</strong>')
    expect(question).toMatch(/name="confirm_live" value="true" required/)
    const { html } = await postForm(app, OPS_PATHS.startSweep, [
      ['target', 'asr'],
      ['confirm', 'true'],
    ])
    expect(html).toContain('tick that you understand it loads the GPU')
    expect(fake.calls.map((c) => c.args[0])).toEqual([{ target: 'asr', dry_run: true }])
    await postForm(app, OPS_PATHS.startSweep, [
      ['target', 'asr'],
      ['confirm', 'true'],
      ['confirm_live', 'true'],
    ])
    expect(fake.calls[1]?.args).toEqual([{ target: 'asr', confirm: true, confirm_live: true }])
  })

  it('says a sweep that stopped early and one that is still running', async () => {
    const fake = fakeOps()
    fake.state.sweeps = [
      sweepResult({ stopped_early: 'errors above 5 % at 6 at once' }),
      sweepResult({ id: 'run', target: 'embeddings', status: 'running', cells: [], knee: null }),
    ]
    const { html } = await getHtml(opsDashboard(fake), OPS_PATHS.sweeps)
    expect(html).toContain('Stopped early: errors above 5 % at 6 at once')
    expect(elementOf(html, 'section', 'data-sweep-target', 'embeddings')).toContain('Warming up')
  })
})
