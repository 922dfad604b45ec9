/**
 * The earlier service tiles (docs/COMPATIBILITY.md "Service tiles and NIM install"): `GET
 * /api/services` keyed by name, `POST /api/services/{name}/{action}` with no body, `{"detail"}`
 * errors, `DISABLED_SERVICES` hiding a tile, and names that could reach a shell refused before
 * anything runs. Changes run only against the demo (never against a COMPAT_BASE_URL deployment).
 */
import { describe, expect, it } from 'vitest'
import { EarlierServiceTile } from '../../shared/contracts/swap-controller.ts'
import { eventually } from '../support/demo.ts'
import { compatTarget } from './target.ts'

const target = compatTarget('services', { DISABLED_SERVICES: 'qdrant' })
const onDemo = !process.env.COMPAT_BASE_URL

const get = (path: string) => fetch(target.url(path))
const post = (path: string) => fetch(target.url(path), { method: 'POST' })
const tiles = async () => (await (await get('/api/services')).json()) as Record<string, EarlierServiceTile>

/** Every command line the simulated worker received so far. */
const workerCommands = () =>
  target
    .demo!.demo()
    .sim.nodes.node('spark-2')
    .commandLog.map((c) => c.line)

describe('GET /api/services', () => {
  it('answers an object of tiles keyed by name, each in the documented shape', async () => {
    const res = await get('/api/services')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('application/json')
    const body = (await res.json()) as Record<string, unknown>
    expect(Object.keys(body).length).toBeGreaterThan(0)
    for (const [name, tile] of Object.entries(body)) {
      const parsed = EarlierServiceTile.safeParse(tile)
      expect(parsed.success, `${name}: ${parsed.error?.message}`).toBe(true)
      expect(parsed.data?.name).toBe(name)
      expect(['Healthy', 'Unhealthy', 'Starting', 'Not configured']).toContain(parsed.data?.status)
    }
  })

  it.runIf(onDemo)(
    'shows the speech and embedding containers healthy, and hides a DISABLED_SERVICES one',
    async () => {
      const body = await tiles()
      expect(Object.keys(body)).toEqual(expect.arrayContaining(['parakeet', 'kokoro', 'embeddings']))
      expect(body).not.toHaveProperty('qdrant')
      expect(body.parakeet).toMatchObject({
        container: 'parakeet-asr',
        state: 'running',
        status: 'Healthy',
        healthy: true,
        model: 'nvidia/parakeet-tdt-0.6b-v3',
        custom: false,
      })
      expect(body.parakeet?.restarts).toEqual(expect.any(Number))
    },
  )
})

describe.runIf(onDemo)('POST /api/services/{name}/{action}', () => {
  it('shows a restart as a dry run, then restarts parakeet on the simulator with no body', async () => {
    const dry = await post('/api/services/parakeet/restart?dry_run=true')
    expect(dry.status).toBe(200)
    const plan = await dry.json()
    expect(plan).toMatchObject({ ok: true, dry_run: true, container: 'parakeet-asr' })
    expect(plan.commands.length).toBeGreaterThan(0)

    const before = workerCommands().length
    const res = await post('/api/services/parakeet/restart')
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ ok: true, dry_run: false, name: 'parakeet', action: 'restart' })
    expect(
      workerCommands()
        .slice(before)
        .some((l) => /docker.*restart.*parakeet-asr/.test(l)),
    ).toBe(true)
    await eventually(tiles, (t) => t.parakeet?.status === 'Healthy', 15_000)

    const history = await (await get('/api/swap/history?action=services.restart')).json()
    expect(history.entries[0]).toMatchObject({
      action: 'services.restart',
      target: 'parakeet',
      outcome: 'ok',
    })
  })

  it('answers the log tail on GET and POST', async () => {
    for (const res of [
      await get('/api/services/kokoro/logs?lines=5'),
      await post('/api/services/kokoro/logs'),
    ]) {
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({
        name: 'kokoro',
        container: 'kokoro-tts',
        lines: expect.any(Array),
      })
    }
  })

  it('answers an unknown and a hidden service with 404 {"detail"}, an unknown action with 400', async () => {
    for (const path of ['/api/services/nosuch/restart', '/api/services/qdrant/restart']) {
      const res = await post(path)
      expect(res.status, path).toBe(404)
      expect(typeof (await res.json()).detail, path).toBe('string')
    }
    const unknown = await post('/api/services/parakeet/explode')
    expect(unknown.status).toBe(400)
    expect(typeof (await unknown.json()).detail).toBe('string')
  })

  it.each(['parakeet;reboot', '$(reboot)', 'para keet', '`id`'])(
    'refuses the name %j with a 4xx {"detail"} and runs nothing',
    async (name) => {
      const before = workerCommands().length
      const res = await post(`/api/services/${encodeURIComponent(name)}/restart`)
      expect(res.status).toBeGreaterThanOrEqual(400)
      expect(res.status).toBeLessThan(500)
      expect((await res.json()).detail).toBeDefined()
      expect(
        workerCommands()
          .slice(before)
          .filter((l) => /restart|reboot/.test(l)),
      ).toEqual([])
    },
  )
})
