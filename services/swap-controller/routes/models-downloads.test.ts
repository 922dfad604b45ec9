/** Downloads of weights to every node: start, progress, conflicts, cancel. */
import { describe, expect, it } from 'vitest'
import { setup } from '../testing/models-app.ts'

describe('downloads', () => {
  it('starts (202), shows progress, refuses the same repo twice, completes, and cancels', async () => {
    const { send, runner, downloads, audit } = await setup()
    const started = await send('POST', '/api/models/download', { repo: 'microsoft/Phi-4-mini-instruct' })
    expect(started.status).toBe(202)
    const id = started.body.download_id
    expect(id).toMatch(/^dl_[a-f0-9]{12}$/)
    const running = (await send('GET', `/api/models/downloads/${id}`)).body
    expect(running).toMatchObject({
      status: 'running',
      nodes: [{ node: 'spark-1', files_total: 2 }, { node: 'spark-2' }],
    })
    expect(running.percent).toBeGreaterThan(0)
    expect(
      (await send('POST', '/api/models/download', { repo: 'microsoft/phi-4-mini-instruct' })).status,
    ).toBe(409)
    runner.release()
    await downloads.idle()
    expect((await send('GET', `/api/models/downloads/${id}`)).body).toMatchObject({
      status: 'done',
      percent: 100,
    })
    expect((await send('GET', '/api/models/downloads')).body.downloads[0].download_id).toBe(id)
    expect(
      audit()
        .filter((a) => a.action === 'model.download')
        .map((a) => a.outcome),
    ).toEqual(['ok', 'refused', 'started'])
    expect((await send('GET', '/api/models/downloads/dl_000000000000')).status).toBe(404)
  })

  it('rejects hostile repos and unknown nodes with 422, and cancels', async () => {
    const { send, downloads } = await setup()
    for (const repo of ['org/x;reboot', 'org/$(id)', '../x/y', 'org/a\nb'])
      expect((await send('POST', '/api/models/download', { repo })).status, repo).toBe(422)
    expect((await send('POST', '/api/models/download', { repo: 'a/b', nodes: ['spark-9'] })).status).toBe(422)
    const id = (await send('POST', '/api/models/download', { repo: 'a/b' })).body.download_id
    expect((await send('DELETE', `/api/models/downloads/${id}`)).status).toBe(200)
    await downloads.idle()
    expect((await send('GET', `/api/models/downloads/${id}`)).body.status).toBe('cancelled')
  })
})
