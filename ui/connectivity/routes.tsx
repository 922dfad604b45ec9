/**
 * The dashboard's connectivity page: the page itself (with, without JavaScript, the maintenance
 * question it was asked for), its live parts for the fallback poll, its SSE feed, the two
 * maintenance questions as fragments, and the two maintenance actions. The actions are plain form
 * posts under `/ui/actions/`, answered with the page (303) and a notice, so they pass the
 * gateway's same-origin and admin-key rules like every other change made from the dashboard.
 */
import { type Context, Hono } from 'hono'
import type { Child } from 'hono/jsx'
import { AppError } from '../../shared/errors.ts'
import type { Logger } from '../../shared/logger.ts'
import type { AppEnv } from '../../shared/service.ts'
import { actorOf } from '../actions.ts'
import { type Notice, NoticeBox } from '../components/notice.tsx'
import type { Chrome } from '../layout/layout.tsx'
import { ConnectivityPage } from '../pages/connectivity.tsx'
import { backTo, chromeFor, fragment, page } from '../respond.ts'
import { streamConnectivity } from './feed.ts'
import { type ConnectivityData, livePartList } from './live.tsx'
import { AddConfirm, RemoveConfirm } from './maintenance.tsx'
import { isNotice, isWindowId, type MaintenanceFields, windowInput } from './maintenance-input.ts'
import { CONNECTIVITY_PATHS, type RangeId, rangeOf } from './paths.ts'
import { readConnectivity } from './read.ts'
import type { MonitorSource } from './source.ts'
import { exactTime } from './words.ts'
import { monitorNotice } from './words-errors.ts'

export interface ConnectivityDashboardDeps {
  monitor: MonitorSource
  chrome: Chrome
  logger: Logger
  shutdown: AbortSignal
  now: () => Date
  /** How often an open page's feed reads again between the monitor's own events. */
  feedIntervalMs?: number
  /** Bound on open feeds: each holds a stream from the monitor. */
  maxFeeds?: number
}

type FormBody = Record<string, string | File | (string | File)[]>

const strings = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string')

const fieldsOf = (get: (name: string) => string[]): MaintenanceFields => ({
  targets: get('targets'),
  until: get('until')[0] ?? '',
  reason: get('reason')[0] ?? '',
})

const asked = (f: MaintenanceFields) => f.targets.length > 0 || !!f.until || !!f.reason

export function connectivityDashboardRoutes(deps: ConnectivityDashboardDeps): Hono<AppEnv> {
  const { monitor, chrome, now } = deps
  const app = new Hono<AppEnv>()
  const log = (c: Context<AppEnv>) => c.var.log ?? deps.logger
  const maxFeeds = deps.maxFeeds ?? 32
  let openFeeds = 0

  const read = (c: Context<AppEnv>, range: RangeId, live = false, signal = c.req.raw.signal) =>
    readConnectivity(monitor, {
      range,
      now: now(),
      signal,
      live,
      onFailure: (what, err) =>
        log(c).warn({ reason: (err as Error).message, what }, 'dashboard: connectivity read failed'),
    })

  const knownTargets = (data: ConnectivityData) =>
    data.targets ? new Set(data.targets.targets.map((t) => t.id)) : null

  /** The question for a new window, or the notice saying what is wrong with the form. */
  function addQuestion(data: ConnectivityData, fields: MaintenanceFields): Child {
    const input = windowInput(fields, knownTargets(data), data.now)
    if (isNotice(input)) return <NoticeBox notice={input} />
    return <AddConfirm window={input} targets={data.targets?.targets ?? null} now={data.now} />
  }

  function removeQuestion(data: ConnectivityData | null, id: string): Child {
    const w = data?.windows?.find((x) => x.id === id && x.source === 'owner')
    if (data && w) return <RemoveConfirm window={w} targets={data.targets?.targets ?? null} now={data.now} />
    const text = 'There is no such maintenance window any more (or the list is not available right now).'
    return <NoticeBox notice={{ tone: 'warn', text }} />
  }

  app.get(CONNECTIVITY_PATHS.page, async (c) => {
    const data = await read(c, rangeOf(c.req.query('range')))
    const fields = fieldsOf((n) => c.req.queries(n) ?? [])
    const remove = c.req.query('remove') ?? ''
    let confirm: Child = null
    if (asked(fields)) {
      confirm = addQuestion(data, fields)
      data.kept = fields
    } else if (remove && isWindowId(remove)) confirm = removeQuestion(data, remove)
    return page(c, <ConnectivityPage chrome={chromeFor(chrome, c)} data={data} confirm={confirm} />)
  })

  app.get(CONNECTIVITY_PATHS.live, async (c) => {
    const data = await read(c, rangeOf(c.req.query('range')), true)
    const parts = await livePartList(data, chrome.simulated)
    return fragment(c, parts.map((p) => p.html).join('\n'))
  })

  app.get(CONNECTIVITY_PATHS.events, (c) => {
    // HEAD would start a stream nobody reads.
    if (c.req.method === 'HEAD') {
      return c.body(null, 200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' })
    }
    if (openFeeds >= maxFeeds) {
      const message = 'Too many connectivity pages are open; close some tabs and retry.'
      throw new AppError(503, 'too_many_streams', message, { retryAfterS: 10 })
    }
    openFeeds++
    c.header('X-Accel-Buffering', 'no')
    const range = rangeOf(c.req.query('range'))
    return streamConnectivity(c, {
      monitor,
      parts: async (signal) => livePartList(await read(c, range, true, signal), chrome.simulated),
      logger: deps.logger,
      shutdown: deps.shutdown,
      intervalMs: deps.feedIntervalMs ?? 15_000,
      onEnd: () => openFeeds--,
    })
  })

  app.get(CONNECTIVITY_PATHS.addConfirm, async (c) => {
    const data = await read(c, '24h', true)
    return fragment(
      c,
      addQuestion(
        data,
        fieldsOf((n) => c.req.queries(n) ?? []),
      ),
    )
  })

  app.get(CONNECTIVITY_PATHS.removeConfirm, async (c) => {
    const id = c.req.query('id') ?? ''
    // No id: "Not now" empties the question's place.
    if (!id) return fragment(c, '')
    return fragment(c, removeQuestion(isWindowId(id) ? await read(c, '24h', true) : null, id))
  })

  app.post(CONNECTIVITY_PATHS.add, async (c) => {
    const body: FormBody = await c.req.parseBody({ all: true }).catch(() => ({}))
    const fields = fieldsOf((n) => strings(body[n]))
    // The targets were checked when the question was asked; the monitor refuses any it does not know.
    const input = windowInput(fields, null, now())
    let notice: Notice
    if (isNotice(input)) notice = input
    else {
      try {
        await monitor.addMaintenance(input, actorOf(c), c.req.raw.signal)
        notice = {
          tone: 'good',
          text: `Planned maintenance until ${exactTime(input.ends_at, now())}: ${input.reason}`,
        }
      } catch (err) {
        log(c).warn({ reason: (err as Error).message }, 'dashboard: add maintenance failed')
        notice = monitorNotice(err)
      }
    }
    return backTo(c, chrome, CONNECTIVITY_PATHS.page, notice)
  })

  app.post(CONNECTIVITY_PATHS.remove, async (c) => {
    const body: FormBody = await c.req.parseBody().catch(() => ({}))
    const id = strings(body.id)[0] ?? ''
    let notice: Notice
    if (!isWindowId(id)) notice = { tone: 'bad', text: 'Pick a maintenance window from the list first.' }
    else {
      try {
        const gone = await monitor.removeMaintenance(id, actorOf(c), c.req.raw.signal)
        notice = gone
          ? { tone: 'good', text: 'Ended the maintenance window: downtime counts as outages again.' }
          : { tone: 'warn', text: 'That maintenance window had already ended.' }
      } catch (err) {
        log(c).warn({ reason: (err as Error).message }, 'dashboard: remove maintenance failed')
        notice = monitorNotice(err)
      }
    }
    return backTo(c, chrome, CONNECTIVITY_PATHS.page, notice)
  })
  return app
}
