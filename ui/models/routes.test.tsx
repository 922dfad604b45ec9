import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../shared/logger.ts'
import type { AppEnv } from '../../shared/service.ts'
import { buildDashboard } from '../app.tsx'
import { download, fakeModelsSource, menuModel } from '../fixtures/models.ts'
import { sampleStatus } from '../fixtures/sample-status.ts'
import { ModelsSourceError } from './source.ts'

type Fake = ReturnType<typeof fakeModelsSource>

function dashboard(fake: Fake = fakeModelsSource(), actor?: string) {
  const ui = buildDashboard({
    getStatus: () => Promise.resolve(sampleStatus(new Date('2030-01-01T12:00:08Z'))),
    simulated: true,
    logger: silentLogger(),
    shutdown: new AbortController().signal,
    models: fake.source,
  })
  // The gateway sets the actor from the API key; here a wrapper does.
  const app = new Hono<AppEnv>()
  app.use('*', async (c, next) => {
    if (actor) c.set('actor', actor)
    await next()
  })
  app.route('/', ui)
  return app
}
type App = ReturnType<typeof dashboard>

const get = async (app: App, path: string) => {
  const res = await app.request(path)
  return { res, html: await res.text() }
}
const post = async (app: App, path: string, form: Record<string, string> = {}, htmx = true) => {
  const res = await app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(htmx ? { 'HX-Request': 'true' } : {}) },
    body: new URLSearchParams(form).toString(),
  })
  return { res, html: await res.text() }
}
const rowOf = (html: string, key: string) => {
  const m = new RegExp(`<tr data-model="${key}"[\\s\\S]*?</tr>`).exec(html)
  if (!m) throw new Error(`no row for ${key}`)
  return m[0]
}
const tagOf = (html: string, id: string) => {
  const m = new RegExp(`<[a-z]+ id="${id}"[^>]*>`).exec(html)
  if (!m) throw new Error(`no element #${id}`)
  return m[0]
}

const HOSTILE = [';rm -rf /', '$(id)', '`id`', '../x', 'a/b\nid', 'a/b;id', '-rf', 'org/../etc', 'org--x/name', "o'rg/name"]
const CHANGES = ['download', 'cancelDownload', 'remove', 'add'] as const

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
    expect(row).toContain('No recipe launches this model yet, so it cannot be switched to. A recipe for it is needed first')
    for (const text of ['Qwen3ForCausalLM', '262,144 tokens', 'bfloat16', 'none', '7.5 GiB', 'No recipe yet']) expect(row).toContain(text)
    expect(row).toContain('data-action="delete"')
  })

  it('still answers 200 and says what is not available when every read fails', async () => {
    const fake = fakeModelsSource()
    fake.failAll()
    for (const path of ['/ui/models', '/ui/models?repo=openai/gpt-oss-20b', '/ui/models?delete=gpt-oss-120b']) {
      const { res, html } = await get(dashboard(fake), path)
      expect(res.status, path).toBe(200)
      expect(html).toContain('The model list is not available right now')
      expect(html).toContain('Downloads are not available right now')
      expect(html).not.toContain('ECONNREFUSED')
      expect(html).not.toContain('data-confirm-delete')
    }
    for (const path of ['/ui/fragments/models/list', '/ui/fragments/models/downloads', '/ui/fragments/models/suggest?q=qw']) {
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

describe('downloading', () => {
  it('fills the datalist from the controller, server-rendered, and refuses hostile queries without asking', async () => {
    const fake = fakeModelsSource()
    const app = dashboard(fake)
    const { html } = await get(app, '/ui/models')
    expect(html).toContain('<datalist id="model-suggestions"><option value="openai/gpt-oss-120b">')
    expect(tagOf(html, 'download-repo')).toContain('hx-get="/ui/fragments/models/suggest"')
    expect(tagOf(html, 'download-repo')).toContain('hx-trigger="keyup changed delay:300ms"')
    expect(tagOf(html, 'download-repo')).toContain('hx-target="#model-suggestions"')
    const q = await get(app, '/ui/fragments/models/suggest?q=gpt-oss-2')
    expect(q.html).toBe('<option value="openai/gpt-oss-20b">MXFP4, ~13 GiB</option>')
    // The box itself sends its value under its own name.
    expect((await get(app, '/ui/fragments/models/suggest?repo=Qwen')).html).toContain('Qwen/Qwen3-4B-Instruct-2507')
    const before = fake.callsOf('suggest').length
    for (const bad of ['$(id)', 'a b', '<script>', 'x'.repeat(97)]) {
      const r = await get(app, `/ui/fragments/models/suggest?q=${encodeURIComponent(bad)}`)
      expect(r.res.status).toBe(200)
      expect(r.html).toBe('')
    }
    expect(fake.callsOf('suggest').length).toBe(before)
  })

  it('asks in plain words before downloading: every Spark, roughly how big, free space', async () => {
    const { html } = await get(dashboard(), '/ui/fragments/models/download/confirm?repo=openai/gpt-oss-20b')
    expect(html).toContain('data-confirm-download="openai/gpt-oss-20b"')
    expect(html).toContain('Download openai/gpt-oss-20b to every Spark?')
    expect(html).toContain('Every Spark (spark-1, spark-2) fetches it from Hugging Face')
    expect(html).toContain('Roughly: MXFP4, ~13 GiB.')
    expect(html).toContain('Free space in the model cache now: spark-1 3000 GiB, spark-2 3000 GiB.')
    expect(html).toContain('needing a recipe before it can be switched to')
    expect(html).toContain('<input type="hidden" name="repo" value="openai/gpt-oss-20b"/>')
    expect(html).toContain('data-action="confirm-download"')
    // The way without JavaScript: the page with the question in it.
    const page = await get(dashboard(), '/ui/models?repo=openai/gpt-oss-20b')
    expect(page.html).toContain('data-confirm-download="openai/gpt-oss-20b"')
    // Nothing asked: the panel empties.
    expect((await get(dashboard(), '/ui/fragments/models/download/confirm')).html).toBe('')
  })

  it('starts a confirmed download as the dashboard, answers the downloads panel and clears the question', async () => {
    const fake = fakeModelsSource()
    const { res, html } = await post(dashboard(fake, 'ops-laptop'), '/ui/actions/models/download', { repo: 'openai/gpt-oss-20b' })
    expect(res.status).toBe(200)
    expect(fake.callsOf('download')).toEqual([['openai/gpt-oss-20b', 'dashboard:ops-laptop']])
    expect(tagOf(html, 'models-downloads')).toContain('hx-trigger="every 2s"')
    expect(html).toContain('data-download="dl_bbbbbbbbbbbb" data-status="running"')
    expect(html).toContain('<div id="download-confirm" hx-swap-oob="true"></div>')
    const plain = await post(dashboard(fake), '/ui/actions/models/download', { repo: 'openai/gpt-oss-20b' }, false)
    expect(plain.res.status).toBe(303)
    expect(plain.res.headers.get('location')).toBe('/ui/models')
    expect(fake.callsOf('download')[1]).toEqual(['openai/gpt-oss-20b', 'dashboard'])
  })

  it('shows a refused download (already running, too many) with the controller message', async () => {
    const fake = fakeModelsSource()
    fake.fail.download = new ModelsSourceError(409, 'openai/gpt-oss-20b is already being downloaded (dl_aaaaaaaaaaaa).')
    const { res, html } = await post(dashboard(fake), '/ui/actions/models/download', { repo: 'openai/gpt-oss-20b' })
    expect(res.status).toBe(200)
    expect(html).toContain('data-notice="warn"')
    expect(html).toContain('is already being downloaded (dl_aaaaaaaaaaaa).')
    fake.fail.download = new Error('connect ECONNREFUSED')
    const down = await post(dashboard(fake), '/ui/actions/models/download', { repo: 'openai/gpt-oss-20b' })
    expect(down.html).toContain('data-notice="bad"')
    expect(down.html).not.toContain('ECONNREFUSED')
  })

  it('shows each node of each download and refreshes every 2 s only while one runs', async () => {
    const fake = fakeModelsSource({
      downloads: [download('openai/gpt-oss-20b', 'running', 42.5), download('org/broken', 'failed', 40, 'dl_cccccccccccc')],
    })
    const { html } = await get(dashboard(fake), '/ui/fragments/models/downloads')
    expect(tagOf(html, 'models-downloads')).toContain('hx-trigger="every 2s"')
    expect(html).toContain('data-node="spark-1" data-node-status="running"')
    expect(html).toContain('spark-1: downloading, 43 %, 5.5 GiB (3 of 8 files)')
    expect(html).toContain('<input type="hidden" name="id" value="dl_0123456789ab"/>')
    expect(html).toContain('data-action="cancel-download"')
    const failed = /<article[^>]*data-download="dl_cccccccccccc"[\s\S]*?<\/article>/.exec(html)![0]
    // Said once, not beside the node and again joined below.
    expect(failed.match(/httpx.ReadError: connection reset/g)).toHaveLength(1)
    expect(failed).toContain('<p data-error="">What went wrong on spark-2: httpx.ReadError: connection reset</p>')
    expect(failed).not.toContain('cancel-download')
    fake.data.downloads = [download('openai/gpt-oss-20b', 'done', 100)]
    const idle = await get(dashboard(fake), '/ui/fragments/models/downloads')
    expect(tagOf(idle.html, 'models-downloads')).toContain('hx-trigger="every 10s"')
    expect(idle.html).toContain('data-node="spark-2" data-node-status="done"')
  })

  it('offers "Download again…" (through the same confirmation) for a download that did not finish', async () => {
    const interrupted = download('org/big', 'interrupted', 35, 'dl_dddddddddddd')
    interrupted.error = 'Spark Control stopped while this download ran; download it again to resume (files already fetched are kept).'
    const fake = fakeModelsSource({
      downloads: [interrupted, download('org/broken', 'failed', 40, 'dl_cccccccccccc'), download('org/fine', 'done', 100, 'dl_eeeeeeeeeeee')],
    })
    const { html } = await get(dashboard(fake), '/ui/fragments/models/downloads')
    const item = (id: string) => new RegExp(`<article[^>]*data-download="${id}"[\\s\\S]*?</article>`).exec(html)![0]
    expect(item('dl_dddddddddddd')).toContain('class="download tone-warn"')
    expect(item('dl_dddddddddddd')).toContain('spark-1: interrupted, 35 %')
    expect(item('dl_dddddddddddd')).toContain('download it again to resume')
    expect(item('dl_dddddddddddd')).toContain('href="/ui/models?repo=org%2Fbig" hx-get="/ui/fragments/models/download/confirm?repo=org%2Fbig"')
    expect(item('dl_cccccccccccc')).toContain('data-action="download-again"')
    expect(item('dl_eeeeeeeeeeee')).not.toContain('data-action="download-again"')
  })

  it('says a failed download\'s error once: shared reasons once below, different ones beside their nodes', async () => {
    const url = 'Repository Not Found for url: https://huggingface.co/api/models/org/nope/revision/main.'
    const same = download('org/nope', 'failed', 0, 'dl_ffffffffffff')
    same.error = `spark-1: ${url}; spark-2: ${url}`
    same.nodes = same.nodes.map((n) => ({ ...n, status: 'failed' as const, error: url, last_error: url }))
    const differ = download('org/half', 'failed', 0, 'dl_aaaaaaaaaaaa')
    differ.error = 'spark-1: disk full; spark-2: connection reset'
    differ.nodes = [
      { ...differ.nodes[0]!, status: 'failed', error: 'disk full' },
      { ...differ.nodes[1]!, status: 'failed', error: 'connection reset', last_error: 'connection reset' },
    ]
    const { html } = await get(dashboard(fakeModelsSource({ downloads: [same, differ] })), '/ui/fragments/models/downloads')
    const item = (id: string) => new RegExp(`<article[^>]*data-download="${id}"[\\s\\S]*?</article>`).exec(html)![0]
    expect(item('dl_ffffffffffff').split('Repository Not Found')).toHaveLength(2)
    expect(item('dl_ffffffffffff')).toContain(`What went wrong on spark-1 and spark-2: ${url}`)
    expect(item('dl_aaaaaaaaaaaa')).toContain('<span class="block">disk full</span>')
    expect(item('dl_aaaaaaaaaaaa')).toContain('<span class="block">connection reset</span>')
    expect(item('dl_aaaaaaaaaaaa')).not.toContain('What went wrong')
  })

  it('says nothing went wrong for a finished or cancelled download with a retry on record', async () => {
    const done = download('org/fine', 'done', 100, 'dl_bbbbbbbbbbbb')
    done.nodes = done.nodes.map((n) => ({ ...n, last_error: 'Error while downloading shard 3, retrying' }))
    const cancelled = download('org/stopped', 'cancelled', 40, 'dl_cccccccccccc')
    cancelled.nodes = cancelled.nodes.map((n) => ({ ...n, last_error: 'Error while downloading shard 3, retrying' }))
    const { html } = await get(dashboard(fakeModelsSource({ downloads: [done, cancelled] })), '/ui/fragments/models/downloads')
    expect(html).not.toContain('What went wrong')
  })

  it('cancels a download by id as the dashboard', async () => {
    const fake = fakeModelsSource({ downloads: [download('openai/gpt-oss-20b', 'running', 10)] })
    const { html } = await post(dashboard(fake), '/ui/actions/models/downloads/cancel', { id: 'dl_0123456789ab' })
    expect(fake.callsOf('cancelDownload')).toEqual([['dl_0123456789ab', 'dashboard']])
    expect(html).toContain('data-status="cancelled"')
  })
})

describe('deleting', () => {
  it('asks first, saying it removes the weights from every Spark and cannot be undone', async () => {
    const { html } = await get(dashboard(), '/ui/fragments/models/delete/confirm?key=Qwen--Qwen3-4B-Instruct-2507')
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

  it('deletes as the dashboard and answers with the per-node result and a fresh list', async () => {
    const fake = fakeModelsSource()
    const { html } = await post(dashboard(fake), '/ui/actions/models/delete', { key: 'Qwen--Qwen3-4B-Instruct-2507' })
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
    const { res } = await post(app, '/ui/actions/models/delete', { key: 'Qwen--Qwen3-4B-Instruct-2507' }, false)
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
    fake.fail.remove = new ModelsSourceError(409, 'gpt-oss-120b is part of the running swap; wait for it to end.')
    const busy = await post(dashboard(fake), '/ui/actions/models/delete', { key: 'gpt-oss-120b' })
    expect(busy.res.status).toBe(200)
    expect(busy.html).toContain('data-notice="warn"')
    expect(busy.html).toContain('gpt-oss-120b is part of the running swap; wait for it to end.')
    const nodes = [
      { node: 'spark-1', ok: true, error: null },
      { node: 'spark-2', ok: false, error: 'ssh: connection refused' },
    ]
    const message = 'The weights of openai/gpt-oss-120b could not be removed on spark-2; the card is kept so the delete can be retried.'
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
    const { html } = await post(app, '/ui/actions/models/add', { repo: 'org/my-finetune', local_path: '', name: 'My finetune' })
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
    const paths = ['/data/$(id)', '/data/`id`', '/data/../etc', 'data/x', '/data/x;id', '/data/x\nid', "/data/o'x", '/data//x', '-rf']
    for (const p of paths) await post(app, '/ui/actions/models/add', { local_path: p })
    for (const m of CHANGES) expect(fake.callsOf(m), m).toEqual([])
    expect(fake.callsOf('suggest').filter((a) => a[0] !== '')).toEqual([])
    // A listed key that is not a key gets no Delete link; its text is escaped.
    const { html } = await get(app, '/ui/models')
    expect(rowOf(html, '\\$\\(id\\)')).not.toContain('data-action="delete"')
    const xss = await get(app, `/ui/fragments/models/delete/confirm?key=${encodeURIComponent('<script>alert(1)</script>')}`)
    expect(xss.html).toContain('&lt;script&gt;')
  })
})
