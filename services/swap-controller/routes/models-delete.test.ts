/** Deleting a model: its 409 guards, the hold on swaps and downloads, partial failures, what it never deletes. */
import { describe, expect, it } from 'vitest'
import type { CustomModel } from '../domain/models/custom.ts'
import { QWEN, setup } from '../testing/models-app.ts'

describe('DELETE /api/models/{key}', () => {
  it('refuses the loaded model, one in a running swap, or one downloading, with 409 (audited)', async () => {
    const loaded = await setup({ loaded: [QWEN] })
    const r1 = await loaded.send('DELETE', '/api/models/qwen3-coder-30b')
    expect(r1.status).toBe(409)
    expect(r1.body.detail).toMatch(/loaded right now/)
    expect(loaded.disk.removed).toEqual([])
    expect(loaded.audit()[0]).toMatchObject({ action: 'model.delete', outcome: 'refused' })
    const swap = {
      running: true,
      recipe: 'gpt-oss-120b',
      model: 'gpt-oss-120b',
      from_model: null,
      outcome: 'running',
    }
    const swapping = await setup({ swap })
    expect((await swapping.send('DELETE', '/api/models/gpt-oss-120b')).body.detail).toMatch(/swap under way/)
    const dl = await setup()
    expect(
      (await dl.send('POST', '/api/models/download', { repo: 'Qwen/Qwen3-4B-Instruct-2507' })).status,
    ).toBe(202)
    const r3 = await dl.send('DELETE', '/api/models/Qwen--Qwen3-4B-Instruct-2507')
    expect(r3.status).toBe(409)
    expect(r3.body.detail).toMatch(/being downloaded/)
    dl.runner.release()
    await dl.downloads.idle()
  })

  it('answers 409 naming the download for a model downloaded for the first time (no recipe, no card, not on disk)', async () => {
    const dl = await setup()
    const started = await dl.send('POST', '/api/models/download', { repo: 'org/brand-new-model' })
    expect(started.status).toBe(202)
    const res = await dl.send('DELETE', '/api/models/org--brand-new-model')
    expect(res.status).toBe(409)
    expect(res.body.detail).toMatch(/org\/brand-new-model is being downloaded/)
    expect(res.body.detail).toContain(started.body.download_id as string)
    expect(res.body.download_id).toBe(started.body.download_id)
    expect(dl.disk.removed).toEqual([])
    expect(dl.audit().find((a) => a.action === 'model.delete')).toMatchObject({
      outcome: 'refused',
      target: 'org/brand-new-model',
    })
    dl.runner.release()
    await dl.downloads.idle()
    // Once it is no longer running, an unknown key is 404 again.
    expect((await dl.send('DELETE', '/api/models/org--never-heard-of')).status).toBe(404)
  })

  it('refuses while vLLM does not answer and the model was the last one loaded', async () => {
    const swap = {
      running: false,
      recipe: 'gpt-oss-120b',
      model: 'gpt-oss-120b',
      from_model: null,
      outcome: 'ready',
    }
    const { send, disk } = await setup({ loaded: 'down', swap })
    const res = await send('DELETE', '/api/models/gpt-oss-120b')
    expect(res.status).toBe(409)
    expect(res.body.detail).toMatch(/did not answer/)
    expect((await send('DELETE', '/api/models/qwen3-coder-30b')).status).toBe(200)
    expect(disk.removed).toEqual([QWEN])
  })

  it('holds swaps from the in-use check until the weights are gone, and releases them whatever happens', async () => {
    const { send, disk, holds } = await setup()
    const seen: string[][] = []
    const remove = disk.remove.bind(disk)
    disk.remove = async (repo) => {
      seen.push([...holds])
      return remove(repo)
    }
    expect((await send('DELETE', '/api/models/gpt-oss-120b')).status).toBe(200)
    expect(seen).toEqual([['the weights of openai/gpt-oss-120b are being deleted']])
    expect(holds).toEqual([])
    const refused = await setup({ loaded: ['gpt-oss-120b'] })
    expect((await refused.send('DELETE', '/api/models/gpt-oss-120b')).status).toBe(409)
    expect(refused.holds).toEqual([])
  })

  it('refuses a download of the repo (409) from the in-use check until the rm ends, whatever its outcome', async () => {
    const { send, disk, runner, downloads } = await setup()
    const repo = 'Qwen/Qwen3-4B-Instruct-2507'
    let finishRm = () => {}
    let rmStarted = () => {}
    const inRm = new Promise<void>((r) => (rmStarted = r))
    const remove = disk.remove.bind(disk)
    disk.remove = async (r) => {
      rmStarted()
      await new Promise<void>((res) => (finishRm = res))
      return remove(r)
    }
    const del = send('DELETE', '/api/models/Qwen--Qwen3-4B-Instruct-2507')
    await inRm
    const during = await send('POST', '/api/models/download', { repo: 'qwen/qwen3-4b-instruct-2507' })
    expect(during.status).toBe(409)
    expect(during.body.detail).toMatch(/being deleted/)
    expect(downloads.list()).toEqual([])
    finishRm()
    expect((await del).status).toBe(200)
    expect((await send('POST', '/api/models/download', { repo })).status).toBe(202)
    runner.release()
    await downloads.idle()
    // A failed rm releases the repo too.
    disk.remove = remove
    disk.failOn = 'spark-1'
    expect((await send('DELETE', '/api/models/gpt-oss-120b')).status).toBe(502)
    expect((await send('POST', '/api/models/download', { repo: 'openai/gpt-oss-120b' })).status).toBe(202)
    runner.release()
    await downloads.idle()
  })

  it('refuses a download started while the delete checks vLLM, before the rm', async () => {
    let asked = () => {}
    const checking = new Promise<void>((r) => (asked = r))
    let answer = (_: string[]) => {}
    const loaded = () => {
      asked()
      return new Promise<string[]>((r) => (answer = r))
    }
    const { send, disk, downloads } = await setup({ loaded })
    const del = send('DELETE', '/api/models/gpt-oss-120b')
    await checking
    expect((await send('POST', '/api/models/download', { repo: 'openai/gpt-oss-120b' })).status).toBe(409)
    answer([])
    expect((await del).status).toBe(200)
    expect(disk.removed).toEqual(['openai/gpt-oss-120b'])
    expect(downloads.list()).toEqual([])
  })

  it('removes the weights on every node and the card; keeps the recipe file', async () => {
    const { send, disk, store, audit } = await setup()
    await send('POST', '/api/models', { repo: 'Qwen/Qwen3-4B-Instruct-2507' })
    const res = await send('DELETE', '/api/models/Qwen--Qwen3-4B-Instruct-2507')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      repo: 'Qwen/Qwen3-4B-Instruct-2507',
      weights_removed: true,
      card_removed: true,
      recipe_kept: null,
    })
    expect(disk.removed).toEqual(['Qwen/Qwen3-4B-Instruct-2507'])
    expect(store.customModels.count()).toBe(0)
    expect(audit()[0]).toMatchObject({ action: 'model.delete', outcome: 'ok', actor: 'tester' })
    const recipe = await send('DELETE', '/api/models/gpt-oss-120b')
    expect(recipe.body).toMatchObject({
      repo: 'openai/gpt-oss-120b',
      recipe_kept: 'gpt-oss-120b',
      card_removed: false,
    })
  })

  it('keeps a card from MODELS_YAML (it lives in that file): its weights go, a folder-only card is refused', async () => {
    const fileCard = (key: string, over: Partial<CustomModel>): CustomModel => ({
      key,
      name: key,
      repo: null,
      local_path: null,
      served_model_name: key,
      max_model_len: null,
      notes: null,
      created_at: '2026-01-01T00:00:00.000000+00:00',
      created_by: 'MODELS_YAML',
      ...over,
    })
    const earlier = [
      fileCard('earlier-local', { local_path: '/data/models/earlier' }),
      fileCard('earlier-hub', { repo: 'org/earlier-hub' }),
    ]
    const { send, disk, audit } = await setup({ earlier })
    const local = await send('DELETE', '/api/models/earlier-local')
    expect(local.status).toBe(409)
    expect(local.body.detail).toBe(
      'Nothing was deleted: the card earlier-local is defined in MODELS_YAML; it stays listed until removed from that file.',
    )
    expect(audit()[0]).toMatchObject({ action: 'model.delete', outcome: 'refused' })
    const hub = await send('DELETE', '/api/models/earlier-hub')
    expect(hub.status).toBe(200)
    expect(hub.body).toMatchObject({ weights_removed: true, card_removed: false })
    expect(hub.body.notes).toContain(
      'the card earlier-hub is defined in MODELS_YAML; it stays listed until removed from that file',
    )
    expect(disk.removed).toEqual(['org/earlier-hub'])
  })

  it('says there were no weights to remove when no Spark had them, instead of "removed"', async () => {
    const { send, disk, audit } = await setup()
    await send('POST', '/api/models', { repo: 'org/never-fetched' })
    disk.absent.push('org/never-fetched')
    const res = await send('DELETE', '/api/models/org--never-fetched')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ weights_removed: false, card_removed: true })
    expect(res.body.nodes).toEqual([
      { node: 'spark-1', ok: true, error: null, on_disk: false },
      { node: 'spark-2', ok: true, error: null, on_disk: false },
    ])
    expect(audit()[0]).toMatchObject({
      action: 'model.delete',
      outcome: 'ok',
      detail: "org/never-fetched was on no Spark's disk; nothing to remove",
    })
  })

  it('502 with per-node results when a node fails (card kept); 404 unknown; 422 hostile key', async () => {
    const { send, disk, store } = await setup()
    await send('POST', '/api/models', { repo: 'me/x' })
    disk.failOn = 'spark-2'
    const res = await send('DELETE', '/api/models/me--x')
    expect(res.status).toBe(502)
    expect(res.body.detail).toMatch(/spark-2 \(connection lost\)/)
    expect(res.body.nodes).toHaveLength(2)
    expect(store.customModels.count()).toBe(1)
    expect((await send('DELETE', '/api/models/no-such-model')).status).toBe(404)
    for (const key of ['x;reboot', '$(id)', '`id`', '-rf', 'a\nb', '.hidden', 'a b']) {
      expect((await send('DELETE', `/api/models/${encodeURIComponent(key)}`)).status, key).toBe(422)
    }
    expect(disk.removed).toEqual(['me/x'])
  })
})
