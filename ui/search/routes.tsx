/**
 * The dashboard's search page: collections with their counts (make one, delete one after a
 * question), ingest a pasted document, try a query. Values from the forms are checked here before
 * anything is sent (ui/search/input.ts); vector-search's refusals are shown in words. Making and
 * deleting a collection answer with the page (303); ingest and query answer in place with htmx
 * (200 with the notice inside, as htmx swaps only 2xx) and with the whole page without it. Texts
 * and queries are never logged.
 */
import { type Context, Hono } from 'hono'
import type { Logger } from '../../shared/logger.ts'
import type { AppEnv } from '../../shared/service.ts'
import { actorOf, isHtmx } from '../actions.ts'
import { type Notice, NoticeBox } from '../components/notice.tsx'
import type { Chrome } from '../layout/layout.tsx'
import { SearchPage, type SearchPageData } from '../pages/search.tsx'
import { backTo, chromeFor, fragment, page, pageReader } from '../respond.ts'
import { type GetStatus, readStatus } from '../status-source.ts'
import { CollectionList, DeleteConfirm } from './collections.tsx'
import { searchHealth } from './health.tsx'
import { type IngestResult, IngestResultView, JobView } from './ingest.tsx'
import {
  type Form,
  field,
  ingestInput,
  ingestKept,
  isNotice,
  newCollectionInput,
  queryInput,
  queryKept,
} from './input.ts'
import { pageUrl, SEARCH_PATHS } from './paths.ts'
import { type QueryResult, QueryResultView } from './query.tsx'
import { COLLECTION_NAME, type SearchSource } from './source.ts'
import { searchNotice } from './words.ts'

export interface SearchDashboardDeps {
  search: SearchSource
  chrome: Chrome
  logger: Logger
  /** The cluster status: whether search, the embeddings server and the store work right now. */
  getStatus: GetStatus
}

const STATUS_READ_MS = 1500
/** A job id as vector-search makes them, with room to spare. */
const JOB_ID = /^[A-Za-z0-9_-]{1,100}$/

const form = (c: Context<AppEnv>) => c.req.parseBody().catch(() => ({}) as Form)

interface Shown {
  current?: string | null
  confirm?: string | null
  /** The tenant the person named in a form, for the counts. */
  tenant?: string
  ingest?: SearchPageData['ingest']
  query?: SearchPageData['query']
}

export function searchDashboardRoutes(deps: SearchDashboardDeps): Hono<AppEnv> {
  const { search, chrome } = deps
  const app = new Hono<AppEnv>()
  const read = pageReader(deps.logger, 'search')
  const log = (c: Context<AppEnv>) => c.var.log ?? deps.logger

  /** With a tenant, a per-tenant collection's count is that tenant's (without, it is not counted). */
  const collectionsOf = (c: Context<AppEnv>, tenant?: string) =>
    read(c, 'collections', search.collections(tenant, c.req.raw.signal))

  async function pageData(c: Context<AppEnv>, shown: Shown): Promise<SearchPageData> {
    const [status, collections] = await Promise.all([
      read(c, 'status', readStatus(deps.getStatus, c.req.raw.signal, STATUS_READ_MS)),
      collectionsOf(c, shown.tenant),
    ])
    const asked = shown.current ?? null
    const current = asked && COLLECTION_NAME.test(asked) ? asked : (collections?.[0]?.name ?? null)
    const confirm = collections?.find((x) => x.name === shown.confirm) ?? null
    return {
      health: searchHealth(status),
      collections,
      current,
      confirm,
      ingest: shown.ingest ?? { form: {}, result: null },
      query: shown.query ?? { form: { mode: 'hybrid', rerank: false }, result: null },
    }
  }

  const render = async (c: Context<AppEnv>, shown: Shown, status: 200 | 422 = 200) =>
    page(c, <SearchPage chrome={chromeFor(chrome, c)} data={await pageData(c, shown)} />, status)

  app.get(SEARCH_PATHS.page, async (c) => {
    const job = c.req.query('job')
    const shown: Shown = { current: c.req.query('collection'), confirm: c.req.query('delete') }
    if (job && JOB_ID.test(job)) {
      const read = await search.job(job, c.req.raw.signal).then(
        (j) => ({ job: j, notice: null }),
        (err) => ({ job: null, notice: searchNotice(err) }),
      )
      const outcome = { kind: 'queued' as const, jobId: job, chunks: null }
      shown.ingest = { form: {}, result: { notice: read.notice, outcome, job: read.job } }
    }
    return render(c, shown)
  })

  app.get(SEARCH_PATHS.deleteConfirm, async (c) => {
    const name = c.req.query('name') ?? ''
    if (!name) return fragment(c, '')
    const found = COLLECTION_NAME.test(name) ? (await collectionsOf(c))?.find((x) => x.name === name) : null
    if (!found) {
      const text = `There is no collection named ${name.slice(0, 64)} (or the list is not available right now).`
      return fragment(c, <NoticeBox notice={{ tone: 'warn', text }} />)
    }
    return fragment(c, <DeleteConfirm collection={found} />)
  })

  app.get(SEARCH_PATHS.job, async (c) => {
    const id = c.req.query('id') ?? ''
    if (!JOB_ID.test(id)) return fragment(c, <NoticeBox notice={{ tone: 'bad', text: 'No such job.' }} />)
    try {
      const job = await search.job(id, c.req.raw.signal)
      const finished = job.state === 'done' || job.state === 'failed'
      // A finished job changed the counts: the list comes along, swapped in out of band.
      const list = finished ? (
        <CollectionList collections={await collectionsOf(c)} current={job.collection} oob />
      ) : null
      return fragment(
        c,
        <>
          {<JobView job={job} id={id} />}
          {list}
        </>,
      )
    } catch (err) {
      log(c).warn({ reason: (err as Error).message }, 'dashboard: ingest job read failed')
      return fragment(c, <JobView job={null} id={id} notice={searchNotice(err)} />)
    }
  })

  app.post(SEARCH_PATHS.create, async (c) => {
    const input = newCollectionInput(await form(c))
    if (isNotice(input)) return backTo(c, chrome, SEARCH_PATHS.page, input)
    let notice: Notice
    try {
      const made = await search.createCollection(input, actorOf(c), c.req.raw.signal)
      notice = { tone: 'good', text: `Made the collection ${made.name}.` }
    } catch (err) {
      log(c).warn({ reason: (err as Error).message }, 'dashboard: create collection failed')
      return backTo(c, chrome, SEARCH_PATHS.page, searchNotice(err))
    }
    return backTo(c, chrome, pageUrl({ collection: input.name }), notice)
  })

  app.post(SEARCH_PATHS.remove, async (c) => {
    const name = field(await form(c), 'name')
    let notice: Notice
    if (!COLLECTION_NAME.test(name)) notice = { tone: 'bad', text: 'Pick a collection from the list first.' }
    else {
      try {
        const gone = await search.deleteCollection(name, actorOf(c), c.req.raw.signal)
        notice = gone
          ? { tone: 'good', text: `Deleted the collection ${name} and everything in it.` }
          : { tone: 'warn', text: `There was no collection named ${name}.` }
      } catch (err) {
        log(c).warn({ reason: (err as Error).message }, 'dashboard: delete collection failed')
        notice = searchNotice(err)
      }
    }
    return backTo(c, chrome, SEARCH_PATHS.page, notice)
  })

  app.post(SEARCH_PATHS.ingest, async (c) => {
    const raw = await form(c)
    const input = ingestInput(raw)
    let result: IngestResult
    if (isNotice(input)) result = { notice: input, outcome: null }
    else {
      try {
        result = { notice: null, outcome: await search.ingest(input, actorOf(c), c.req.raw.signal) }
      } catch (err) {
        log(c).warn({ reason: (err as Error).message }, 'dashboard: ingest failed')
        result = { notice: searchNotice(err), outcome: null }
      }
    }
    const current = isNotice(input) ? field(raw, 'collection') : input.collection
    if (isHtmx(c)) {
      const list = result.outcome ? await collectionsOf(c, isNotice(input) ? undefined : input.tenant) : null
      return fragment(
        c,
        <>
          <IngestResultView result={result} />
          {result.outcome ? <CollectionList collections={list} current={current} oob /> : null}
        </>,
      )
    }
    const kept = result.outcome?.kind === 'done' ? { ...ingestKept(raw), text: '' } : ingestKept(raw)
    const tenant = isNotice(input) ? undefined : input.tenant
    return render(c, { current, tenant, ingest: { form: kept, result } }, isNotice(input) ? 422 : 200)
  })

  app.post(SEARCH_PATHS.query, async (c) => {
    const raw = await form(c)
    const input = queryInput(raw)
    let result: QueryResult
    if (isNotice(input)) result = { notice: input, answer: null }
    else {
      try {
        result = { notice: null, answer: await search.query(input, c.req.raw.signal) }
      } catch (err) {
        log(c).warn({ reason: (err as Error).message }, 'dashboard: query failed')
        result = { notice: searchNotice(err), answer: null }
      }
    }
    if (isHtmx(c)) return fragment(c, <QueryResultView result={result} />)
    const current = isNotice(input) ? field(raw, 'collection') : input.collection
    const tenant = isNotice(input) ? undefined : input.tenant
    return render(
      c,
      { current, tenant, query: { form: queryKept(raw), result } },
      isNotice(input) ? 422 : 200,
    )
  })
  return app
}
