/** The models page: the list, deleting, adding a custom model, and hostile values stopped before any call. */
import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../shared/logger.ts'
import { buildDashboard } from '../app.tsx'
import { fakeModelsSource, menuModel } from '../fixtures/models.ts'
import { CHANGES, dashboard, get, HOSTILE, post, rowOf, tagOf } from '../fixtures/models-app.ts'
import { sampleStatus } from '../fixtures/sample-status.ts'
import { ModelsSourceError } from './source.ts'

describe('GET /ui/models', () => {
  it('lists every model with where it is on disk, its size, its recipe and whether it is loaded', async () => {
    const { res, html } = await get(dashboard(), '/ui/models')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(html).toContain('<a href="/ui/models" aria-current="page">Models</a>')
    const loaded = rowOf(html, 'qwen3-coder-30b')
    expect(loaded).toContain('Loaded')
    // The size of each copy, said as such: not beside a list of nodes, where it read as a total.
    expect(loaded).toContain('30 GiB on each Spark (spark-1, spark-2)')
    expect(loaded).toContain('Recipe qwen3-coder-30b')
    expect(loaded).not.toContain('data-action="delete"')
    const idle = rowOf(html, 'gpt-oss-120b')
    expect(idle).toContain('openai/gpt-oss-120b')
    expect(idle).toContain('href="/ui/models?delete=gpt-oss-120b#models-confirm"')
    expect(idle).toContain('hx-get="/ui/fragments/models/delete/confirm?key=gpt-oss-120b"')
    // The question appears at the top of the page: it is brought into view, not left off screen.
    expect(idle).toContain('hx-swap="innerHTML show:#models-confirm:top"')
    const absent = rowOf(html, 'glm-4.5-air')
    expect(absent).toContain('Not downloaded')
    expect(absent).not.toContain('data-action="delete"')
    expect(tagOf(html, 'models-list')).toContain('hx-trigger="every 10s"')
  })

  it('shows a model without a recipe with its inferred settings and says a recipe is needed', async () => {
    const { html } = await get(dashboard(), '/ui/models')
    const row = rowOf(html, 'Qwen--Qwen3-4B-Instruct-2507')
    expect(row).toContain('data-needs-setup="true"')
    expect(row).toContain('Needs a recipe')
    expect(row).toContain(
      'No recipe launches this model yet, so it cannot be switched to. A recipe for it is needed first',
    )
    for (const text of ['Qwen3ForCausalLM', '262,144 tokens', 'bfloat16', 'none', '7.5 GiB', 'No recipe yet'])
      expect(row).toContain(text)
    expect(row).toContain('data-action="delete"')
  })

  it('still answers 200 and says what is not available when every read fails', async () => {
    const fake = fakeModelsSource()
    fake.failAll()
    for (const path of [
      '/ui/models',
      '/ui/models?repo=openai/gpt-oss-20b',
      '/ui/models?delete=gpt-oss-120b',
    ]) {
      const { res, html } = await get(dashboard(fake), path)
      expect(res.status, path).toBe(200)
      expect(html).toContain('The model list is not available right now')
      expect(html).toContain('Downloads are not available right now')
      expect(html).not.toContain('ECONNREFUSED')
      expect(html).not.toContain('data-confirm-delete')
    }
    for (const path of [
      '/ui/fragments/models/list',
      '/ui/fragments/models/downloads',
      '/ui/fragments/models/suggest?q=qw',
    ]) {
      const { res, html } = await get(dashboard(fake), path)
      expect(res.status, path).toBe(200)
      expect(html).not.toContain('ECONNREFUSED')
    }
  })

  it('is a placeholder when the dashboard has no model source', async () => {
    const ui = buildDashboard({
      getStatus: () => Promise.resolve(sampleStatus(new Date('2030-01-01T12:00:08Z'))),
      simulated: true,
      logger: silentLogger(),
      shutdown: new AbortController().signal,
    })
    const res = await ui.request('/ui/models')
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('no models to show')
  })
})

describe('deleting', () => {
  it('asks first, saying it removes the weights from every Spark and cannot be undone', async () => {
    const { html } = await get(
      dashboard(),
      '/ui/fragments/models/delete/confirm?key=Qwen--Qwen3-4B-Instruct-2507',
    )
    expect(html).toContain('data-confirm-delete="Qwen--Qwen3-4B-Instruct-2507"')
    expect(html).toContain('This removes its weights (7.5 GiB) from every Spark (spark-1, spark-2)')
    expect(html).toContain('It cannot be undone')
    expect(html).toContain('<input type="hidden" name="key" value="Qwen--Qwen3-4B-Instruct-2507"/>')
    const recipe = await get(dashboard(), '/ui/fragments/models/delete/confirm?key=gpt-oss-120b')
    expect(recipe.html).toContain('The recipe gpt-oss-120b is kept')
    // The loaded model and one not on disk have nothing to delete from here.
    for (const key of ['qwen3-coder-30b', 'glm-4.5-air', 'nope']) {
      const r = await get(dashboard(), `/ui/fragments/models/delete/confirm?key=${key}`)
      expect(r.html).not.toContain('data-confirm-delete')
      expect(r.html).toContain('data-notice="warn"')
    }
    const page = await get(dashboard(), '/ui/models?delete=gpt-oss-120b')
    expect(page.html).toContain('data-confirm-delete="gpt-oss-120b"')
  })

  it('never offers to delete a folder card from MODELS_YAML, and says a file card stays listed', async () => {
    const fake = fakeModelsSource()
    fake.data.menu.models.push(
      menuModel('earlier-local', {
        repo: null,
        local_path: '/data/models/earlier',
        recipe: null,
        custom: true,
        card_file: 'MODELS_YAML',
        on_disk: null,
      }),
      menuModel('earlier-hub', {
        repo: 'org/earlier-hub',
        recipe: null,
        custom: true,
        card_file: 'MODELS_YAML',
      }),
    )
    const page = await get(dashboard(fake), '/ui/models')
    expect(rowOf(page.html, 'earlier-local')).not.toContain('data-action="delete"')
    expect(rowOf(page.html, 'earlier-hub')).toContain('data-action="delete"')
    const { html } = await get(dashboard(fake), '/ui/fragments/models/delete/confirm?key=earlier-hub')
    expect(html).toContain('Its card stays listed: it is defined in MODELS_YAML; remove it from that file.')
    expect(html).not.toContain('Its custom card is removed too.')
  })

  it('says when there were no weights to remove (the model was on no Spark)', async () => {
    const fake = fakeModelsSource()
    const card = fake.data.menu.models.find((m) => m.key === 'Qwen--Qwen3-4B-Instruct-2507')!
    card.on_disk = false
    const { html } = await post(dashboard(fake), '/ui/actions/models/delete', { key: card.key })
    expect(html).toContain('was on no Spark&#39;s disk: there were no weights to remove')
    expect(html).toContain('<li>spark-1: was not on its disk</li>')
    expect(html).not.toContain('removed from every Spark')
  })

  it('deletes as the dashboard and answers with the per-node result and a fresh list', async () => {
    const fake = fakeModelsSource()
    const { html } = await post(dashboard(fake), '/ui/actions/models/delete', {
      key: 'Qwen--Qwen3-4B-Instruct-2507',
    })
    expect(fake.callsOf('remove')).toEqual([['Qwen--Qwen3-4B-Instruct-2507', 'dashboard']])
    expect(html).toContain('data-notice="good"')
    expect(html).toContain('its weights were removed from every Spark')
    expect(html).toContain('<li>spark-1: removed</li>')
    expect(tagOf(html, 'models-list')).toContain('hx-swap-oob="true"')
    expect(html).not.toContain('data-model="Qwen--Qwen3-4B-Instruct-2507"')
  })

  it('without htmx, lands back on the models page saying what the delete came to, once', async () => {
    const fake = fakeModelsSource()
    const app = dashboard(fake)
    const { res } = await post(
      app,
      '/ui/actions/models/delete',
      { key: 'Qwen--Qwen3-4B-Instruct-2507' },
      false,
    )
    expect(res.status).toBe(303)
    const back = res.headers.get('location')!
    expect(back).toMatch(/^\/ui\/models\?notice=/)
    const { html } = await get(app, back)
    expect(html).toContain('data-notice="good"')
    expect(html).toContain('its weights were removed from every Spark')
    expect(html).toContain('<li>spark-1: removed</li>')
    expect((await get(app, back)).html).not.toContain('data-notice="good"')
    const bad = await post(app, '/ui/actions/models/add', { repo: '', local_path: '' }, false)
    expect((await get(app, bad.res.headers.get('location')!)).html).toContain('Nothing was added:')
  })

  it('shows a refusal (loaded, swapping) with the controller message, and a 502 node by node', async () => {
    const fake = fakeModelsSource()
    fake.fail.remove = new ModelsSourceError(
      409,
      'gpt-oss-120b is part of the running swap; wait for it to end.',
    )
    const busy = await post(dashboard(fake), '/ui/actions/models/delete', { key: 'gpt-oss-120b' })
    expect(busy.res.status).toBe(200)
    expect(busy.html).toContain('data-notice="warn"')
    expect(busy.html).toContain('gpt-oss-120b is part of the running swap; wait for it to end.')
    const nodes = [
      { node: 'spark-1', ok: true, error: null },
      { node: 'spark-2', ok: false, error: 'ssh: connection refused' },
    ]
    const message =
      'The weights of openai/gpt-oss-120b could not be removed on spark-2; the card is kept so the delete can be retried.'
    fake.fail.remove = new ModelsSourceError(502, message, [], { detail: message, nodes })
    const partial = await post(dashboard(fake), '/ui/actions/models/delete', { key: 'gpt-oss-120b' })
    expect(partial.html).toContain('data-notice="bad"')
    expect(partial.html).toContain(message)
    expect(partial.html).toContain('<li>spark-1: removed</li>')
    expect(partial.html).toContain('<li>spark-2: not removed — ssh: connection refused</li>')
  })
})

describe('adding a custom model', () => {
  it('adds a repo or a folder as the dashboard and lists it', async () => {
    const fake = fakeModelsSource()
    const app = dashboard(fake, 'ops')
    const { html } = await post(app, '/ui/actions/models/add', {
      repo: 'org/my-finetune',
      local_path: '',
      name: 'My finetune',
    })
    expect(fake.callsOf('add')).toEqual([[{ repo: 'org/my-finetune', name: 'My finetune' }, 'dashboard:ops']])
    expect(html).toContain('Added My finetune.')
    expect(tagOf(html, 'models-list')).toContain('hx-swap-oob="true"')
    expect(html).toContain('data-model="org--my-finetune"')
    await post(app, '/ui/actions/models/add', { repo: '', local_path: '/data/models/ft-2' })
    expect(fake.callsOf('add')[1]).toEqual([{ local_path: '/data/models/ft-2' }, 'dashboard:ops'])
  })

  it('shows the controller 422 fields and 409 as notices, keeping what was typed', async () => {
    const fake = fakeModelsSource()
    const fields = [{ field: 'name', message: 'must be 1-200 letters' }]
    fake.fail.add = new ModelsSourceError(422, 'name: must be 1-200 letters', fields)
    const bad = await post(dashboard(fake), '/ui/actions/models/add', { repo: 'org/x', name: 'X' })
    expect(bad.res.status).toBe(200)
    expect(bad.html).toContain('The controller refused it:')
    expect(bad.html).toContain('<li>name: must be 1-200 letters</li>')
    expect(bad.html).toContain('value="org/x"')
    expect(bad.html).not.toContain('hx-swap-oob')
    fake.fail.add = new ModelsSourceError(409, 'A model with the key org--x is already in the catalog.')
    const dup = await post(dashboard(fake), '/ui/actions/models/add', { repo: 'org/x' })
    expect(dup.html).toContain('data-notice="warn"')
    expect(dup.html).toContain('A model with the key org--x is already in the catalog.')
  })

  it('refuses neither, both, and malformed values itself', async () => {
    const fake = fakeModelsSource()
    const cases: Array<[Record<string, string>, string]> = [
      [{}, 'not both and not neither'],
      [{ repo: 'org/x', local_path: '/data/x' }, 'not both and not neither'],
      [{ local_path: 'relative/path' }, 'must be an absolute path'],
      [{ local_path: '/data/my model' }, 'may only contain'],
      [{ local_path: '/data/../etc' }, 'must not contain `.` or `..` segments'],
      [{ repo: 'org/x', name: 'x"; rm -rf /' }, 'Name:'],
    ]
    for (const [form, text] of cases) {
      const { html } = await post(dashboard(fake), '/ui/actions/models/add', form)
      expect(html, JSON.stringify(form)).toContain('Nothing was added:')
      expect(html, JSON.stringify(form)).toContain(text)
    }
    expect(fake.callsOf('add')).toEqual([])
  })
})

describe('hostile values', () => {
  it('never reach the source from any form or fragment, and are shown escaped', async () => {
    const fake = fakeModelsSource()
    fake.data.menu.models.push(menuModel('$(id)', { repo: null, local_path: '/x' }))
    const app = dashboard(fake)
    for (const v of HOSTILE) {
      await post(app, '/ui/actions/models/download', { repo: v })
      await post(app, '/ui/actions/models/downloads/cancel', { id: v })
      await post(app, '/ui/actions/models/delete', { key: v })
      await post(app, '/ui/actions/models/add', { repo: v })
      const confirm = await get(app, `/ui/fragments/models/download/confirm?repo=${encodeURIComponent(v)}`)
      expect(confirm.html).not.toContain('data-confirm-download')
      const del = await get(app, `/ui/fragments/models/delete/confirm?key=${encodeURIComponent(v)}`)
      expect(del.html).not.toContain('data-confirm-delete')
      expect(del.html).not.toContain('<script')
    }
    const paths = [
      '/data/$(id)',
      '/data/`id`',
      '/data/../etc',
      'data/x',
      '/data/x;id',
      '/data/x\nid',
      "/data/o'x",
      '/data//x',
      '-rf',
    ]
    for (const p of paths) await post(app, '/ui/actions/models/add', { local_path: p })
    for (const m of CHANGES) expect(fake.callsOf(m), m).toEqual([])
    expect(fake.callsOf('suggest').filter((a) => a[0] !== '')).toEqual([])
    // A listed key that is not a key gets no Delete link; its text is escaped.
    const { html } = await get(app, '/ui/models')
    expect(rowOf(html, '\\$\\(id\\)')).not.toContain('data-action="delete"')
    const xss = await get(
      app,
      `/ui/fragments/models/delete/confirm?key=${encodeURIComponent('<script>alert(1)</script>')}`,
    )
    expect(xss.html).toContain('&lt;script&gt;')
  })
})
