/**
 * The dashboard: server-rendered pages, an SSE status feed and its static files, as one Hono app
 * the gateway mounts for `/`, `/ui/*` and `/static/*`. It knows nothing about how the status is
 * gathered: `getStatus` is the gateway's, and the tests pass a fake.
 */

import { type Context, Hono } from 'hono'
import { AppError } from '../shared/errors.ts'
import type { Logger } from '../shared/logger.ts'
import type { AppEnv } from '../shared/service.ts'
import { type Asset, assetUrl, loadAssets, serveAsset } from './assets.ts'
import { Placeholder } from './components/placeholder.tsx'
import { deliberateStop, MODEL_CHANGES, STOP_HISTORY, switchInProgress } from './components/stopped.ts'
import { connectivityDashboardRoutes } from './connectivity/routes.tsx'
import type { MonitorSource } from './connectivity/source.ts'
import { FlashNotices } from './flash.ts'
import { historyDashboardRoutes } from './history/routes.tsx'
import type { AuditViewSource } from './history/source.ts'
import { keysDashboardRoutes } from './keys/routes.tsx'
import type { KeysSource } from './keys/source.ts'
import { type Chrome, Layout } from './layout/layout.tsx'
import { modelsDashboardRoutes } from './models/routes.tsx'
import type { ModelsSource } from './models/source.ts'
import { opsDashboardRoutes } from './ops/routes.tsx'
import type { OpsSource } from './ops/source.ts'
import { overviewParts } from './overview/parts.tsx'
import { readOverviewTick, type TickSources } from './overview/tick.ts'
import { ConnectivityPlaceholder } from './pages/connectivity.tsx'
import { NotFoundPage } from './pages/not-found.tsx'
import { OpsPlaceholder } from './pages/ops.tsx'
import { OverviewPage, STATUS_EVENTS_PATH } from './pages/overview.tsx'
import { RedactionPlaceholder } from './pages/redaction.tsx'
import { SearchPlaceholder } from './pages/search.tsx'
import { SettingsPlaceholder } from './pages/settings.tsx'
import { SpeechPlaceholder } from './pages/speech-placeholder.tsx'
import { redactionDashboardRoutes } from './redaction/routes.tsx'
import type { RedactionSource } from './redaction/source.ts'
import { chromeFor, page, sendHtml } from './respond.ts'
import { searchDashboardRoutes } from './search/routes.tsx'
import type { SearchSource } from './search/source.ts'
import { settingsDashboardRoutes } from './settings/routes.tsx'
import type { SettingsSource } from './settings/source.ts'
import { speechDashboardRoutes } from './speech/routes.tsx'
import type { SpeechSource } from './speech/source.ts'
import { type GetStatus, readStatus, type StatusView } from './status-source.ts'
import { render, streamStatus } from './status-stream.tsx'
import { swapDashboardRoutes } from './swap/routes.tsx'
import type { SwapSource } from './swap/source.ts'
import { Wake } from './wake.ts'

export interface DashboardDeps {
  getStatus: GetStatus
  /** The Sparks are the simulator: every page says so, persistently. */
  simulated: boolean
  logger: Logger
  /** Aborted when the process shuts down; open status streams end when it does. */
  shutdown: AbortSignal
  /** How often the live feed re-reads the status. */
  statusIntervalMs?: number
  /** How long one status read may take before the page says "retrying". */
  statusTimeoutMs?: number
  /**
   * How long the overview retries a read whose status and swap state disagree (one a moment behind
   * the other at a switch's start or end) before showing it anyway.
   */
  statusSettleMs?: number
  /** Whether the control routes take no credentials (`admin` needs no API key); default true. */
  controlsOpen?: boolean
  /** Bound on concurrent status streams, so a runaway client cannot hold unbounded timers. */
  maxStreams?: number
  now?: () => Date
  /** The swap-controller, for the swap and history pages and the overview's model card. */
  swap?: SwapSource
  /** The swap-controller's model management, for the models page. */
  models?: ModelsSource
  /** The speech-proxy, for the speech page. */
  speech?: SpeechSource
  /** The redaction-gateway, for the redaction page. */
  redaction?: RedactionSource
  /** vector-search, for the search page. */
  search?: SearchSource
  /** The connectivity monitor, for the connectivity page. */
  monitor?: MonitorSource
  /** The swap-controller's cluster operations, for the operations page. */
  ops?: OpsSource
  /** The gateway's settings file store, for the settings page. */
  settings?: SettingsSource
  /** The gateway's key management, for Settings → API keys. */
  keys?: KeysSource
  /** Every service's audit log merged (the gateway's `GET /api/audit`), for the History page. */
  audit?: AuditViewSource
}

export const FRAGMENT_PATH = '/ui/fragments/status'

export function buildDashboard(deps: DashboardDeps): Hono<AppEnv> {
  const assets = loadAssets()
  const intervalMs = deps.statusIntervalMs ?? 2000
  // Above the gateway's own probe timeout (3 s by default), so a slow but healthy probe is not "unreachable".
  const timeoutMs = deps.statusTimeoutMs ?? 5000
  const maxStreams = deps.maxStreams ?? 64
  const now = deps.now ?? (() => new Date())
  const chrome: Chrome = {
    simulated: deps.simulated,
    controlsOpen: deps.controlsOpen ?? true,
    notices: new FlashNotices(),
    urls: {
      htmx: assetUrl(assets.htmx),
      sse: assetUrl(assets.sse),
      css: assetUrl(assets.css),
      script: assetUrl(assets.script),
      icon: assetUrl(assets.icon),
    },
  }
  const logOf = (c: Context<AppEnv>) => c.var.log ?? deps.logger
  const swapForStops = deps.swap
  // A slow controller must not hold up the 2 s status feed: this read gets a second, then is skipped.
  const STOP_READ_MS = 1000
  // Asked only while no model answers: the audit log is read when it can change what the page says.
  const stopInfo = swapForStops
    ? async (view: StatusView, signal: AbortSignal) => {
        if (!view.ok || view.status.loaded_model !== null) return null
        const bounded = AbortSignal.any([signal, AbortSignal.timeout(STOP_READ_MS)])
        const state = await swapForStops.state(bounded).catch(() => null)
        const switching = switchInProgress(state?.job)
        if (switching) return switching
        return deliberateStop(
          await swapForStops.history(STOP_HISTORY, bounded, MODEL_CHANGES).catch(() => null),
        )
      }
    : undefined

  async function currentView(c: Context<AppEnv>): Promise<StatusView> {
    try {
      return { ok: true, status: await readStatus(deps.getStatus, c.req.raw.signal, timeoutMs) }
    } catch (err) {
      logOf(c).warn({ reason: (err as Error).message }, 'dashboard: cluster status unavailable')
      return { ok: false }
    }
  }

  const app = new Hono<AppEnv>()

  const sources: TickSources = {
    getStatus: deps.getStatus,
    swap: deps.swap,
    timeoutMs,
    settleMs: deps.statusSettleMs ?? 3000,
    now,
  }
  // A click that starts, cancels or releases something: open overviews read again at once.
  const wake = new Wake()

  app.get('/', async (c) => {
    const { tick, reason } = await readOverviewTick(sources, c.req.raw.signal)
    if (reason) logOf(c).warn({ reason }, 'dashboard: cluster status unavailable')
    const { view, swap } = tick
    try {
      return await page(c, <OverviewPage chrome={chromeFor(chrome, c)} view={view} now={now()} swap={swap} />)
    } catch (err) {
      // A status of the wrong shape still gets the page, with the "retrying" notice in it.
      logOf(c).warn({ reason: (err as Error).message }, 'dashboard: status could not be rendered')
      return page(c, <OverviewPage chrome={chromeFor(chrome, c)} view={{ ok: false }} now={now()} />)
    }
  })
  app.get('/ui', (c) => c.redirect('/', 302))
  app.get('/ui/', (c) => c.redirect('/', 302))
  // Before the swap routes: with the merged view, History shows every service, not only the controller.
  if (deps.audit) app.route('/', historyDashboardRoutes({ audit: deps.audit, chrome, logger: deps.logger }))
  if (deps.swap) {
    const onChange = () => wake.notify()
    app.route('/', swapDashboardRoutes({ swap: deps.swap, chrome, logger: deps.logger, now, onChange }))
  } else {
    // Built without the swap-controller (a test, or a gateway serving other services only).
    const unconnected = [
      ['/ui/swap', 'swap', 'Swap model'],
      ['/ui/logs', 'logs', 'Logs'],
      ['/ui/history', 'history', 'History'],
    ] as const
    for (const [path, id, title] of unconnected) {
      const body = <p>The swap controller is not connected to this dashboard, so there is nothing to show.</p>
      app.get(path, (c) =>
        page(
          c,
          <Layout title={title} current={id} chrome={chromeFor(chrome, c)}>
            <Placeholder title={title}>{body}</Placeholder>
          </Layout>,
        ),
      )
    }
  }
  if (deps.models) app.route('/', modelsDashboardRoutes({ models: deps.models, chrome, logger: deps.logger }))
  else {
    const body = (
      <p>The swap controller is not connected to this dashboard, so there are no models to show.</p>
    )
    app.get('/ui/models', (c) =>
      page(
        c,
        <Layout title="Models" current="models" chrome={chromeFor(chrome, c)}>
          <Placeholder title="Models">{body}</Placeholder>
        </Layout>,
      ),
    )
  }
  if (deps.speech) app.route('/', speechDashboardRoutes({ speech: deps.speech, chrome, logger: deps.logger }))
  else app.get('/ui/speech', (c) => page(c, <SpeechPlaceholder chrome={chromeFor(chrome, c)} />))
  if (deps.redaction) {
    const redactionDeps = {
      redaction: deps.redaction,
      chrome,
      logger: deps.logger,
      getStatus: deps.getStatus,
    }
    app.route('/', redactionDashboardRoutes(redactionDeps))
  } else app.get('/ui/redaction', (c) => page(c, <RedactionPlaceholder chrome={chromeFor(chrome, c)} />))
  if (deps.search)
    app.route(
      '/',
      searchDashboardRoutes({ search: deps.search, chrome, logger: deps.logger, getStatus: deps.getStatus }),
    )
  else app.get('/ui/search', (c) => page(c, <SearchPlaceholder chrome={chromeFor(chrome, c)} />))
  if (deps.monitor) {
    const monitorDeps = { monitor: deps.monitor, chrome, logger: deps.logger, shutdown: deps.shutdown, now }
    app.route('/', connectivityDashboardRoutes(monitorDeps))
  } else
    app.get('/ui/connectivity', (c) => page(c, <ConnectivityPlaceholder chrome={chromeFor(chrome, c)} />))
  if (deps.ops) app.route('/', opsDashboardRoutes({ ops: deps.ops, chrome, logger: deps.logger, now }))
  else app.get('/ui/ops', (c) => page(c, <OpsPlaceholder chrome={chromeFor(chrome, c)} />))
  if (deps.settings)
    app.route('/', settingsDashboardRoutes({ settings: deps.settings, chrome, logger: deps.logger }))
  else app.get('/ui/settings', (c) => page(c, <SettingsPlaceholder chrome={chromeFor(chrome, c)} />))
  if (deps.keys) app.route('/', keysDashboardRoutes({ keys: deps.keys, chrome, logger: deps.logger }))

  app.get(FRAGMENT_PATH, async (c) => {
    const view = await currentView(c)
    const stopped = stopInfo ? await stopInfo(view, c.req.raw.signal) : null
    const { summary, cards } = await render(
      view,
      { simulated: deps.simulated, now },
      undefined,
      logOf(c),
      stopped,
    )
    // Same ids and live-region semantics as the page, so a poller can swap it into `.live` as is.
    const liveAttrs = 'id="live-summary" aria-live="polite" aria-atomic="true"'
    return sendHtml(c, `<div ${liveAttrs}>${summary}</div><div id="status-cards">${cards}</div>`)
  })

  let openStreams = 0
  app.get(STATUS_EVENTS_PATH, (c) => {
    // HEAD would start a stream nobody reads, stuck on back-pressure until the socket closes.
    if (c.req.method === 'HEAD') {
      return c.body(null, 200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' })
    }
    if (openStreams >= maxStreams) {
      const message = 'Too many dashboards are open; close some tabs and retry.'
      throw new AppError(503, 'too_many_streams', message, { retryAfterS: 10 })
    }
    openStreams++
    c.header('X-Accel-Buffering', 'no')
    return streamStatus(c, {
      read: (signal, lastGood) => readOverviewTick(sources, signal, lastGood),
      parts: (tick, lastGood, log) => overviewParts(tick, { simulated: deps.simulated, now }, lastGood, log),
      logger: deps.logger,
      shutdown: deps.shutdown,
      intervalMs,
      wake,
      onEnd: () => openStreams--,
    })
  })

  const files: Asset[] = Object.values(assets)
  for (const asset of files) app.get(asset.path, (c) => serveAsset(c, asset))

  app.get('/ui/*', (c) => page(c, <NotFoundPage chrome={chromeFor(chrome, c)} />, 404))
  return app
}
