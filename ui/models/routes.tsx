/**
 * The dashboard's models page, its self-refreshing fragments and the forms a person submits.
 * Every value from a request is checked here first (repo ids, keys, paths, download ids): a value
 * the controller would refuse is never sent. Reads degrade to "not available right now"; the forms
 * answer with the fragment to show, refusals (409 loaded, 422 fields, 502 per node) as notices,
 * because htmx swaps only 2xx. Without JavaScript the forms land back on the page (303).
 */
import { type Context, Hono } from 'hono'
import type { Logger } from '../../shared/logger.ts'
import type { AppEnv } from '../../shared/service.ts'
import { actorOf, isHtmx } from '../actions.ts'
import { type Notice, NoticeBox } from '../components/notice.tsx'
import type { Chrome } from '../layout/layout.tsx'
import { ModelsPage } from '../pages/models.tsx'
import { backTo, chromeFor, fragment, page, pageReader } from '../respond.ts'
import { toHtml } from '../status-stream.tsx'
import { AddForm } from './add-form.tsx'
import { DeleteConfirm, nodeResults } from './delete-confirm.tsx'
import { DownloadConfirm, SuggestionOptions } from './download-form.tsx'
import { Downloads, DownloadsNotice } from './downloads.tsx'
import { deletable, ModelList } from './model-list.tsx'
import { refusal } from './notice.tsx'
import { MODELS_PATHS } from './paths.ts'
import {
  type DeleteAnswer,
  type ModelMenu,
  type ModelsSource,
  ModelsSourceError,
  type NewCard,
} from './source.ts'
import {
  field,
  isDisplayName,
  isDownloadId,
  isModelKey,
  isRepo,
  isSuggestQuery,
  localPathProblem,
} from './validate.ts'

export interface ModelsDashboardDeps {
  models: ModelsSource
  chrome: Chrome
  logger: Logger
}

const SUGGESTIONS = 10
const NOT_A_REPO =
  'That is not a Hugging Face model id: it must look like org/name (letters, digits, `_ . -`).'

export function modelsDashboardRoutes(deps: ModelsDashboardDeps): Hono<AppEnv> {
  const { models, chrome } = deps
  const app = new Hono<AppEnv>()

  const read = pageReader(deps.logger, 'model')
  const form = async (c: Context<AppEnv>) => c.req.parseBody().catch(() => ({}) as Record<string, unknown>)
  const menuOf = (c: Context<AppEnv>) => read(c, 'menu', models.menu(c.req.raw.signal))
  const downloadsOf = (c: Context<AppEnv>) => read(c, 'downloads', models.downloads(c.req.raw.signal))
  const suggestionsOf = async (c: Context<AppEnv>, q: string) =>
    isSuggestQuery(q)
      ? ((await read(c, 'suggest', models.suggest(q, SUGGESTIONS, c.req.raw.signal))) ?? [])
      : []

  async function downloadConfirmData(c: Context<AppEnv>, repo: string, menu?: ModelMenu | null) {
    const [list, suggestions, disks] = await Promise.all([
      menu === undefined ? menuOf(c) : menu,
      suggestionsOf(c, repo),
      read(c, 'disks', models.disks(c.req.raw.signal)),
    ])
    return {
      repo,
      known: suggestions.find((s) => s.repo === repo) ?? null,
      model: list?.models.find((m) => m.repo === repo) ?? null,
      disks: disks ?? [],
    }
  }

  /** The menu entry a delete is about, only when it has something to delete. */
  const deleteTarget = (menu: ModelMenu | null, key: string) =>
    menu?.models.find((m) => m.key === key && deletable(m)) ?? null

  app.get(MODELS_PATHS.page, async (c) => {
    const repo = c.req.query('repo')?.trim() ?? ''
    const del = c.req.query('delete') ?? ''
    const [menu, downloads, suggestions] = await Promise.all([
      menuOf(c),
      downloadsOf(c),
      suggestionsOf(c, ''),
    ])
    const data = {
      menu,
      downloads: { downloads },
      suggestions,
      add: {},
      downloadConfirm: isRepo(repo) ? await downloadConfirmData(c, repo, menu) : null,
      deleteConfirm: isModelKey(del) ? deleteTarget(menu, del) : null,
    }
    return page(c, <ModelsPage chrome={chromeFor(chrome, c)} data={data} />)
  })

  app.get(MODELS_PATHS.list, async (c) => fragment(c, <ModelList menu={await menuOf(c)} />))
  app.get(MODELS_PATHS.downloads, async (c) =>
    fragment(c, <Downloads data={{ downloads: await downloadsOf(c) }} />),
  )

  app.get(MODELS_PATHS.suggest, async (c) => {
    // `q` from a link; `repo` when the download box itself asks (htmx sends the input under its name).
    const q = (c.req.query('q') ?? c.req.query('repo') ?? '').trim()
    return fragment(c, <SuggestionOptions suggestions={await suggestionsOf(c, q)} />)
  })

  app.get(MODELS_PATHS.downloadConfirm, async (c) => {
    const repo = c.req.query('repo')?.trim() ?? ''
    if (!repo) return fragment(c, '')
    if (!isRepo(repo)) return fragment(c, <NoticeBox notice={{ tone: 'warn', text: NOT_A_REPO }} />)
    return fragment(c, <DownloadConfirm data={await downloadConfirmData(c, repo)} />)
  })

  app.get(MODELS_PATHS.deleteConfirm, async (c) => {
    const key = c.req.query('key') ?? ''
    if (!key) return fragment(c, '')
    const model = isModelKey(key) ? deleteTarget(await menuOf(c), key) : null
    if (!model) {
      const text = `There is no model named ${key.slice(0, 128)} with weights to delete (or the list is not available right now).`
      return fragment(c, <NoticeBox notice={{ tone: 'warn', text }} />)
    }
    return fragment(c, <DeleteConfirm model={model} />)
  })

  app.post(MODELS_PATHS.download, async (c) => {
    const repo = field(await form(c), 'repo')
    let notice: Notice | null = null
    if (!isRepo(repo)) notice = { tone: 'bad', text: NOT_A_REPO }
    else {
      try {
        await models.download(repo, actorOf(c), c.req.raw.signal)
      } catch (err) {
        notice = refusal(err)
      }
    }
    if (!isHtmx(c)) return backTo(c, chrome, MODELS_PATHS.page, notice)
    const html = await toHtml(
      <>
        {<Downloads data={{ downloads: await downloadsOf(c) }} />}
        <DownloadsNotice notice={notice} oob />
      </>,
    )
    return fragment(c, `${html}<div id="download-confirm" hx-swap-oob="true"></div>`)
  })

  app.post(MODELS_PATHS.cancelDownload, async (c) => {
    const id = field(await form(c), 'id')
    let notice: Notice | null = null
    if (!isDownloadId(id)) notice = { tone: 'bad', text: 'That is not a download of this dashboard.' }
    else {
      try {
        await models.cancelDownload(id, actorOf(c), c.req.raw.signal)
      } catch (err) {
        notice = refusal(err)
      }
    }
    if (!isHtmx(c)) return backTo(c, chrome, MODELS_PATHS.page, notice)
    return fragment(
      c,
      <>
        {<Downloads data={{ downloads: await downloadsOf(c) }} />}
        <DownloadsNotice notice={notice} oob />
      </>,
    )
  })

  app.post(MODELS_PATHS.remove, async (c) => {
    const key = field(await form(c), 'key')
    let notice: Notice
    if (!isModelKey(key)) notice = { tone: 'bad', text: 'Pick a model from the list first.' }
    else {
      try {
        const done = await models.remove(key, actorOf(c), c.req.raw.signal)
        notice = deleted(done)
      } catch (err) {
        notice = refusal(err)
        const nodes = err instanceof ModelsSourceError ? perNode(err.extra.nodes) : null
        if (nodes) notice.items = nodeResults(nodes)
      }
    }
    if (!isHtmx(c)) return backTo(c, chrome, MODELS_PATHS.page, notice)
    const html = await toHtml(<NoticeBox notice={notice} />)
    return fragment(c, `${html}${await toHtml(<ModelList menu={await menuOf(c)} oob />)}`)
  })

  app.post(MODELS_PATHS.add, async (c) => {
    const body = await form(c)
    const values = {
      repo: field(body, 'repo'),
      local_path: field(body, 'local_path'),
      name: field(body, 'name'),
    }
    const problems = cardProblems(values)
    let notice: Notice | null = null
    let added = false
    if (problems.length) notice = { tone: 'bad', text: 'Nothing was added:', items: problems }
    else {
      const card = {
        ...(values.repo ? { repo: values.repo } : { local_path: values.local_path }),
        ...(values.name ? { name: values.name } : {}),
      }
      try {
        const made = await models.add(card as NewCard, actorOf(c), c.req.raw.signal)
        notice = {
          tone: 'good',
          text: `Added ${made.name}. It is listed above as needing a recipe until one launches it.`,
        }
        added = true
      } catch (err) {
        notice = refusal(err)
      }
    }
    if (!isHtmx(c)) return backTo(c, chrome, MODELS_PATHS.page, notice)
    // Typed values are kept only for a retry (JSX escapes them like any text).
    const html = await toHtml(<AddForm data={{ notice, values: added ? {} : values }} />)
    if (!added) return fragment(c, html)
    return fragment(c, `${html}${await toHtml(<ModelList menu={await menuOf(c)} oob />)}`)
  })

  return app
}

function deleted(done: DeleteAnswer): Notice {
  const what = done.repo ?? done.local_path ?? done.key
  const somewhereMissing = done.nodes.some((n) => n.on_disk === false)
  const text = done.weights_removed
    ? `Deleted ${what}: its weights were removed from ${somewhereMissing ? 'the Sparks that had them' : 'every Spark'}.`
    : done.repo && done.nodes.length > 0
      ? `${what} was on no Spark's disk: there were no weights to remove${done.card_removed ? '; its custom card is deleted' : ''}.`
      : `Deleted ${what}${done.card_removed ? ' (its custom card)' : ''}.`
  return { tone: 'good', text, items: [...nodeResults(done.nodes), ...done.notes] }
}

/** A 502's `nodes`, only if it has the shape the controller documents. */
function perNode(v: unknown): DeleteAnswer['nodes'] | null {
  if (!Array.isArray(v)) return null
  const ok = v.every((n) => typeof n?.node === 'string' && typeof n?.ok === 'boolean')
  return ok
    ? v.map((n) => ({ node: n.node, ok: n.ok, error: typeof n.error === 'string' ? n.error : null }))
    : null
}

/** Every reason the card cannot be sent, named by field; [] when it can. */
function cardProblems(v: { repo: string; local_path: string; name: string }): string[] {
  const problems: string[] = []
  if (Boolean(v.repo) === Boolean(v.local_path))
    problems.push('Give either a Hugging Face model or a folder, not both and not neither.')
  if (v.repo && !isRepo(v.repo)) problems.push(`Hugging Face model: ${NOT_A_REPO}`)
  if (v.local_path) {
    const p = localPathProblem(v.local_path)
    if (p) problems.push(`Folder: ${p}.`)
  }
  if (v.name && !isDisplayName(v.name))
    problems.push(
      'Name: 1-200 letters, digits, spaces or `_ . , : + ( ) / -` (no quotes, `;`, `$`, backticks or line breaks).',
    )
  return problems
}
