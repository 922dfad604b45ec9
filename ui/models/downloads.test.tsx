/** The models page's downloads: asking first, per-node progress, errors said once, cancel, download again. */
import { describe, expect, it } from 'vitest'
import { download, fakeModelsSource } from '../fixtures/models.ts'
import { dashboard, get, post, tagOf } from '../fixtures/models-app.ts'
import { ModelsSourceError } from './source.ts'

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
    expect((await get(app, '/ui/fragments/models/suggest?repo=Qwen')).html).toContain(
      'Qwen/Qwen3-4B-Instruct-2507',
    )
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
    const { res, html } = await post(dashboard(fake, 'ops-laptop'), '/ui/actions/models/download', {
      repo: 'openai/gpt-oss-20b',
    })
    expect(res.status).toBe(200)
    expect(fake.callsOf('download')).toEqual([['openai/gpt-oss-20b', 'dashboard:ops-laptop']])
    expect(tagOf(html, 'models-downloads')).toContain('hx-trigger="every 2s"')
    expect(html).toContain('data-download="dl_bbbbbbbbbbbb" data-status="running"')
    expect(html).toContain('<div id="download-confirm" hx-swap-oob="true"></div>')
    const plain = await post(
      dashboard(fake),
      '/ui/actions/models/download',
      { repo: 'openai/gpt-oss-20b' },
      false,
    )
    expect(plain.res.status).toBe(303)
    expect(plain.res.headers.get('location')).toBe('/ui/models')
    expect(fake.callsOf('download')[1]).toEqual(['openai/gpt-oss-20b', 'dashboard'])
  })

  it('shows a refused download (already running, too many) with the controller message', async () => {
    const fake = fakeModelsSource()
    fake.fail.download = new ModelsSourceError(
      409,
      'openai/gpt-oss-20b is already being downloaded (dl_aaaaaaaaaaaa).',
    )
    const { res, html } = await post(dashboard(fake), '/ui/actions/models/download', {
      repo: 'openai/gpt-oss-20b',
    })
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
      downloads: [
        download('openai/gpt-oss-20b', 'running', 42.5),
        download('org/broken', 'failed', 40, 'dl_cccccccccccc'),
      ],
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
    expect(failed).toContain(
      '<p data-error="">What went wrong on spark-2: httpx.ReadError: connection reset</p>',
    )
    expect(failed).not.toContain('cancel-download')
    fake.data.downloads = [download('openai/gpt-oss-20b', 'done', 100)]
    const idle = await get(dashboard(fake), '/ui/fragments/models/downloads')
    expect(tagOf(idle.html, 'models-downloads')).toContain('hx-trigger="every 10s"')
    expect(idle.html).toContain('data-node="spark-2" data-node-status="done"')
  })

  it('offers "Download again…" (through the same confirmation) for a download that did not finish', async () => {
    const interrupted = download('org/big', 'interrupted', 35, 'dl_dddddddddddd')
    interrupted.error =
      'Spark Control stopped while this download ran; download it again to resume (files already fetched are kept).'
    const fake = fakeModelsSource({
      downloads: [
        interrupted,
        download('org/broken', 'failed', 40, 'dl_cccccccccccc'),
        download('org/fine', 'done', 100, 'dl_eeeeeeeeeeee'),
      ],
    })
    const { html } = await get(dashboard(fake), '/ui/fragments/models/downloads')
    const item = (id: string) =>
      new RegExp(`<article[^>]*data-download="${id}"[\\s\\S]*?</article>`).exec(html)![0]
    expect(item('dl_dddddddddddd')).toContain('class="download tone-warn"')
    expect(item('dl_dddddddddddd')).toContain('spark-1: interrupted, 35 %')
    expect(item('dl_dddddddddddd')).toContain('download it again to resume')
    expect(item('dl_dddddddddddd')).toContain(
      'href="/ui/models?repo=org%2Fbig#download-confirm" hx-get="/ui/fragments/models/download/confirm?repo=org%2Fbig"',
    )
    expect(item('dl_cccccccccccc')).toContain('data-action="download-again"')
    expect(item('dl_eeeeeeeeeeee')).not.toContain('data-action="download-again"')
  })

  it("says a failed download's error once: shared reasons once below, different ones beside their nodes", async () => {
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
    const { html } = await get(
      dashboard(fakeModelsSource({ downloads: [same, differ] })),
      '/ui/fragments/models/downloads',
    )
    const item = (id: string) =>
      new RegExp(`<article[^>]*data-download="${id}"[\\s\\S]*?</article>`).exec(html)![0]
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
    cancelled.nodes = cancelled.nodes.map((n) => ({
      ...n,
      last_error: 'Error while downloading shard 3, retrying',
    }))
    const { html } = await get(
      dashboard(fakeModelsSource({ downloads: [done, cancelled] })),
      '/ui/fragments/models/downloads',
    )
    expect(html).not.toContain('What went wrong')
  })

  it('cancels a download by id as the dashboard', async () => {
    const fake = fakeModelsSource({ downloads: [download('openai/gpt-oss-20b', 'running', 10)] })
    const { html } = await post(dashboard(fake), '/ui/actions/models/downloads/cancel', {
      id: 'dl_0123456789ab',
    })
    expect(fake.callsOf('cancelDownload')).toEqual([['dl_0123456789ab', 'dashboard']])
    expect(html).toContain('data-status="cancelled"')
  })
})
