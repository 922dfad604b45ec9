/** `GET /api/services`, `POST /api/services/{name}/{action}` and the logs route, over a fake `ServiceContainers`. */
import { describe, expect, it } from 'vitest'
import { earlierOpsApp } from '../testing/earlier-ops.ts'

const POST = { method: 'POST' }

describe('GET /api/services', () => {
  it('answers a tile per visible service, keyed by name, with the earlier pill words', async () => {
    const { app } = earlierOpsApp()
    const res = await app.request('/api/services')
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(Object.keys(body)).toEqual(['parakeet', 'bot', 'vllm2'])
    expect(body.parakeet).toEqual({
      name: 'parakeet',
      kind: 'stt',
      node: 'spark-2',
      host: '192.0.2.11',
      port: 8000,
      url: 'http://192.0.2.11:8000',
      container: 'parakeet-asr',
      state: 'running',
      status: 'Healthy',
      healthy: true,
      pill: 'healthy',
      health: {
        ok: true,
        http_status: 200,
        latency_s: 0.012,
        checked_at: '2026-01-01T01:00:00.000Z',
        error: null,
      },
      model: 'nvidia/parakeet-tdt-0.6b-v3',
      restarts: 2,
      uptime_s: 3600,
      custom: false,
      actions: ['start', 'stop', 'restart', 'logs'],
      error: null,
    })
    expect(body.bot).toMatchObject({ custom: true, actions: ['start', 'stop', 'restart', 'logs', 'update'] })
  })

  it("shows a second vLLM's loaded model from its /v1/models", async () => {
    const { app, modelCalls } = earlierOpsApp()
    const body = await (await app.request('/api/services')).json()
    expect(body.vllm2).toMatchObject({ kind: 'llm', model: 'org/second-model', host: '192.0.2.10' })
    expect(modelCalls).toEqual(['http://192.0.2.10:8001'])
  })
})

describe('POST /api/services/{name}/{action}', () => {
  it('restarts with no body, as the earlier clients call it, and audits services.restart', async () => {
    const { app, containers, audits } = earlierOpsApp()
    const res = await app.request('/api/services/parakeet/restart', POST)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      ok: true,
      name: 'parakeet',
      action: 'restart',
      dry_run: false,
      duration_s: 1.5,
      detail: 'parakeet restarted.',
    })
    expect(containers.acts).toEqual([{ name: 'parakeet', action: 'restart', dryRun: false, actor: 'api' }])
    expect(audits).toEqual([
      expect.objectContaining({
        action: 'services.restart',
        target: 'parakeet',
        outcome: 'ok',
        dryRun: false,
      }),
    ])
  })

  it('passes ?dry_run=true on: the commands, nothing done', async () => {
    const { app, containers } = earlierOpsApp()
    const res = await app.request('/api/services/parakeet/stop?dry_run=true', POST)
    const body = await res.json()
    expect(body).toMatchObject({ ok: true, dry_run: true, detail: 'Would stop parakeet.' })
    expect(body.commands[0].argv).toEqual(['docker', 'stop', 'parakeet-asr'])
    expect(containers.acts[0]).toMatchObject({ dryRun: true })
  })

  it('answers an unknown service and a hidden one with 404 {"detail"}', async () => {
    const { app, containers } = earlierOpsApp()
    for (const name of ['nosuch', 'kokoro']) {
      const res = await app.request(`/api/services/${name}/restart`, POST)
      expect(res.status, name).toBe(404)
      expect((await res.json()).detail).toBe(`Unknown service ${name}.`)
    }
    expect(containers.acts).toEqual([])
  })

  it('answers an unknown action, and update on a tile without one, with 400 {"detail"}', async () => {
    const { app, calls } = earlierOpsApp()
    const unknown = await app.request('/api/services/parakeet/reboot', POST)
    expect(unknown.status).toBe(400)
    expect((await unknown.json()).detail).toMatch(/^Unknown action reboot: one of start, stop, restart\.$/)
    const update = await app.request('/api/services/parakeet/update', POST)
    expect(update.status).toBe(400)
    expect(calls).toEqual([])
  })

  it.each([
    ['a semicolon', 'parakeet;reboot'],
    ['a command substitution', '$(reboot)'],
    ['a space', 'para keet'],
    ['an option', '-rf'],
  ])('refuses a name with %s (422) and runs nothing', async (_what, name) => {
    const { app, containers, calls } = earlierOpsApp()
    const res = await app.request(`/api/services/${encodeURIComponent(name)}/restart`, POST)
    expect(res.status).toBe(422)
    expect((await res.json()).detail[0]).toMatchObject({ loc: ['path', 'name'] })
    expect(containers.acts).toEqual([])
    expect(calls).toEqual([])
  })

  it('refuses while a swap is using the node (409 {"detail"}), audited as refused', async () => {
    const { app, containers, busy, audits } = earlierOpsApp()
    busy.push('spark-2')
    const res = await app.request('/api/services/parakeet/restart', POST)
    expect(res.status).toBe(409)
    expect((await res.json()).detail).toMatch(/swap is using spark-2/)
    expect(containers.acts).toEqual([])
    expect(audits).toEqual([expect.objectContaining({ action: 'services.restart', outcome: 'refused' })])
  })

  it("updates a custom tile: git pull, then a compose rebuild, inside its checkout (~ resolved for the node's user)", async () => {
    const { app, calls, audits } = earlierOpsApp()
    const res = await app.request('/api/services/bot/update', POST)
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body).toMatchObject({ ok: true, action: 'update', output: ['done', 'done'] })
    const inDir = ['sh', '-c', 'cd -- "$1" && shift && exec "$@"', 'sh', '/home/owner/bot']
    expect(calls).toEqual([
      { node: 'spark-2', argv: [...inDir, 'git', 'pull', '--ff-only'] },
      { node: 'spark-2', argv: [...inDir, 'docker', 'compose', 'up', '-d', '--build'] },
    ])
    expect(audits[0]).toMatchObject({ action: 'services.update', outcome: 'ok' })
  })

  it('shows an update as a dry run without running it', async () => {
    const { app, calls } = earlierOpsApp()
    const body = await (await app.request('/api/services/bot/update?dry_run=1', POST)).json()
    expect(body.commands.map((c: { display: string }) => c.display)).toEqual([
      `'sh' '-c' 'cd -- "$1" && shift && exec "$@"' 'sh' '/home/owner/bot' 'git' 'pull' '--ff-only'`,
      `'sh' '-c' 'cd -- "$1" && shift && exec "$@"' 'sh' '/home/owner/bot' 'docker' 'compose' 'up' '-d' '--build'`,
    ])
    expect(calls).toEqual([])
  })

  it('reports a failed update step as 502 {"detail"}, audited as failed, and stops there', async () => {
    const { app, calls, audits } = earlierOpsApp({
      answer: (argv) =>
        argv.includes('git') ? { code: 1, stderr: 'fatal: not a git repository' } : { code: 0 },
    })
    const res = await app.request('/api/services/bot/update', POST)
    expect(res.status).toBe(502)
    expect((await res.json()).detail).toMatch(/git pull in \/home\/owner\/bot exited with 1/)
    expect(calls).toHaveLength(1)
    expect(audits[0]).toMatchObject({ action: 'services.update', outcome: 'failed' })
  })
})

describe('logs', () => {
  it('answers the tail on GET and on POST (the earlier verb is not known)', async () => {
    const { app } = earlierOpsApp()
    for (const init of [{}, POST]) {
      const res = await app.request('/api/services/bot/logs?lines=2', init)
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({
        name: 'bot',
        container: 'chat-bot',
        node: 'spark-2',
        lines: ['line 1', 'line 2'],
      })
    }
  })

  it('answers 404 for a hidden service', async () => {
    const { app } = earlierOpsApp()
    expect((await app.request('/api/services/kokoro/logs')).status).toBe(404)
  })
})
