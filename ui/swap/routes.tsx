/**
 * The dashboard's swap pages, their self-refreshing fragments and the forms a person submits.
 * Reads degrade to "not available right now" (never an error page); the forms answer with the
 * fragment to show, refusals (423 lock, 409 busy) included as notices, because htmx swaps only 2xx.
 * Without JavaScript the forms post normally and land back on the swap page (303).
 */
import { type Context, Hono } from 'hono'
import type { Logger } from '../../shared/logger.ts'
import type { AppEnv } from '../../shared/service.ts'
import type { Chrome } from '../layout/layout.tsx'
import { HistoryPage } from '../pages/history.tsx'
import { LOG_PAGE_LINES, LogLines, LogsPage } from '../pages/logs.tsx'
import { SwapPage } from '../pages/swap.tsx'
import { backTo, chromeFor, fragment, page, pageReader } from '../respond.ts'
import { toHtml } from '../status-stream.tsx'
import { SwapConfirm } from './confirm.tsx'
import { LockBanner } from './lock-banner.tsx'
import { ModelCard } from './model-card.tsx'
import { NodeCards } from './node-cards.tsx'
import { actorOf, isHtmx } from '../actions.ts'
import { SWAP_PATHS } from './paths.ts'
import type { Notice } from '../components/notice.tsx'
import { SwapNotice, SwapProgress } from './progress.tsx'
import type { FitLookup } from './recipe-list.tsx'
import { type CatalogList, type SwapSource, SwapSourceError } from './source.ts'

export interface SwapDashboardDeps {
  swap: SwapSource
  chrome: Chrome
  logger: Logger
  now: () => Date
  /** Lines of the model's log shown under a running switch. */
  logTailLines?: number
}

/** Recipe keys as the catalog names them; anything else is refused before a call is made. */
const RECIPE_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/

/** What the overview shows of the chat model: the card, the switch form and a running switch. */
export async function overviewSwapData(swap: SwapSource, signal: AbortSignal) {
  const none = () => null
  const [state, telemetry, catalog] = await Promise.all([
    swap.state(signal).catch(none),
    swap.telemetry(signal).catch(none),
    swap.catalog(signal).catch(none),
  ])
  const running = state?.job?.outcome === 'running'
  const logs = running ? await swap.recentLogs(12, signal).catch(() => []) : []
  return { card: { state, telemetry }, progress: { state, logs }, models: catalog?.models ?? null }
}
export type OverviewSwapData = Awaited<ReturnType<typeof overviewSwapData>>

export function swapDashboardRoutes(deps: SwapDashboardDeps): Hono<AppEnv> {
  const { swap, chrome } = deps
  const tail = deps.logTailLines ?? 12
  const app = new Hono<AppEnv>()
  const logOf = (c: Context<AppEnv>) => c.var.log ?? deps.logger

  const read = pageReader(deps.logger, 'swap-controller')

  async function progressData(c: Context<AppEnv>) {
    const signal = c.req.raw.signal
    const state = await read(c, 'state', swap.state(signal))
    const running = state?.job?.outcome === 'running'
    const logs = running ? ((await read(c, 'logs', swap.recentLogs(tail, signal))) ?? []) : []
    return { state, logs }
  }

  /**
   * Each fit check reads every node's memory over SSH; reloads and open tabs within a few seconds
   * share one round (the verdict moves with memory, not by the second). Actions drop it.
   */
  let recentFits: { atMs: number; fits: FitLookup } | null = null
  const FITS_REUSE_MS = 3000

  async function fitsOf(c: Context<AppEnv>, catalog: CatalogList | null): Promise<FitLookup> {
    if (recentFits && Date.now() - recentFits.atMs < FITS_REUSE_MS) return recentFits.fits
    const fits: FitLookup = new Map()
    // A key the controller would refuse anyway (a file named `$(id).yaml`) is not passed on, not even to check.
    const valid = catalog?.models.filter((m) => m.valid && RECIPE_KEY.test(m.key)) ?? []
    await Promise.all(
      valid.map(async (m) => {
        try {
          fits.set(m.key, await swap.validate(m.key, c.req.raw.signal))
        } catch (err) {
          fits.set(m.key, { error: (err as Error).message })
        }
      }),
    )
    // A round where the controller answered nothing is not worth keeping.
    if ([...fits.values()].some((f) => !('error' in f))) recentFits = { atMs: Date.now(), fits }
    return fits
  }

  async function confirmData(c: Context<AppEnv>, recipe: string, catalog?: CatalogList | null) {
    const signal = c.req.raw.signal
    const list = catalog === undefined ? await read(c, 'catalog', swap.catalog(signal)) : catalog
    const model = list?.models.find((m) => m.key === recipe && m.valid)
    if (!model) return null
    const [check, lock] = await Promise.all([read(c, 'validate', swap.validate(recipe, signal)), read(c, 'lock', swap.lock(signal))])
    return check ? { model, check, lock } : null
  }

  const refusal = (err: unknown): Notice => ({
    tone: err instanceof SwapSourceError && err.status < 500 ? 'warn' : 'bad',
    text: err instanceof SwapSourceError ? err.message : 'The swap controller did not answer; nothing was changed.',
  })

  app.get(SWAP_PATHS.page, async (c) => {
    const signal = c.req.raw.signal
    const [catalog, telemetry, lock, progress] = await Promise.all([
      read(c, 'catalog', swap.catalog(signal)),
      read(c, 'telemetry', swap.telemetry(signal)),
      read(c, 'lock', swap.lock(signal)),
      progressData(c),
    ])
    const recipe = c.req.query('recipe')
    const [fits, confirm] = await Promise.all([
      fitsOf(c, catalog),
      recipe && RECIPE_KEY.test(recipe) ? confirmData(c, recipe, catalog) : null,
    ])
    const data = { card: { state: progress.state, telemetry }, progress, catalog, fits, telemetry, lock, confirm }
    return page(c, <SwapPage chrome={chromeFor(chrome, c)} data={data} now={deps.now()} />)
  })

  app.get(SWAP_PATHS.history, async (c) => {
    const entries = await read(c, 'history', swap.history(200, c.req.raw.signal))
    return page(c, <HistoryPage chrome={chromeFor(chrome, c)} entries={entries} />)
  })

  /** The node names the controller knows; `?node=` must be one of them, or it is ignored. */
  async function logsData(c: Context<AppEnv>) {
    const telemetry = await read(c, 'telemetry', swap.telemetry(c.req.raw.signal))
    const nodes = telemetry?.nodes.map((n) => n.node) ?? []
    const asked = c.req.query('node')
    const node = asked && nodes.includes(asked) ? asked : null
    const lines = await read(c, 'logs', swap.recentLogs(LOG_PAGE_LINES, c.req.raw.signal, node ?? undefined))
    return { lines, nodes, node }
  }

  app.get(SWAP_PATHS.logs, async (c) => page(c, <LogsPage chrome={chromeFor(chrome, c)} data={await logsData(c)} />))
  app.get(SWAP_PATHS.logLines, async (c) => fragment(c, <LogLines data={await logsData(c)} />))

  app.get(SWAP_PATHS.modelCard, async (c) => {
    const signal = c.req.raw.signal
    const [state, telemetry] = await Promise.all([read(c, 'state', swap.state(signal)), read(c, 'telemetry', swap.telemetry(signal))])
    return fragment(c, <ModelCard data={{ state, telemetry }} />)
  })

  app.get(SWAP_PATHS.progress, async (c) => fragment(c, <SwapProgress data={await progressData(c)} />))

  app.get(SWAP_PATHS.nodes, async (c) => {
    const telemetry = await read(c, 'telemetry', swap.telemetry(c.req.raw.signal))
    return fragment(c, <NodeCards telemetry={telemetry} now={deps.now()} />)
  })

  app.get(SWAP_PATHS.confirm, async (c) => {
    const recipe = c.req.query('recipe')
    // No recipe: "Keep the current model" — the panel empties.
    if (!recipe) return fragment(c, '')
    const data = RECIPE_KEY.test(recipe) ? await confirmData(c, recipe) : null
    if (!data) {
      return fragment(c, <p class="notice notice-warn">There is no usable recipe named {recipe.slice(0, 128)}.</p>)
    }
    return fragment(c, <SwapConfirm data={data} />)
  })

  app.post(SWAP_PATHS.start, async (c) => {
    recentFits = null
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)
    const recipe = typeof form.recipe === 'string' ? form.recipe : ''
    let notice: Notice | null = null
    if (!RECIPE_KEY.test(recipe)) notice = { tone: 'bad', text: 'Pick a model from the list first.' }
    else {
      try {
        await swap.start(recipe, actorOf(c), c.req.raw.signal)
      } catch (err) {
        notice = refusal(err)
      }
    }
    if (!isHtmx(c)) return backTo(c, chrome, SWAP_PATHS.page, notice)
    const clearConfirm = '<div id="swap-confirm" hx-swap-oob="true"></div>'
    const html = await toHtml(<>{<SwapProgress data={await progressData(c)} />}<SwapNotice notice={notice} oob /></>)
    return fragment(c, `${html}${clearConfirm}`)
  })

  app.post(SWAP_PATHS.cancel, async (c) => {
    recentFits = null
    let notice: Notice | null = null
    try {
      await swap.cancel(actorOf(c), c.req.raw.signal)
    } catch (err) {
      notice = refusal(err)
    }
    if (!isHtmx(c)) return backTo(c, chrome, SWAP_PATHS.page, notice)
    return fragment(c, <>{<SwapProgress data={await progressData(c)} />}<SwapNotice notice={notice} oob /></>)
  })

  app.post(SWAP_PATHS.releaseLock, async (c) => {
    let lock = null
    let notice: Notice | null = null
    try {
      lock = await swap.forceReleaseLock(actorOf(c), c.req.raw.signal)
    } catch (err) {
      logOf(c).warn({ reason: (err as Error).message }, 'dashboard: lock release failed')
      notice = refusal(err)
      lock = await read(c, 'lock', swap.lock(c.req.raw.signal))
    }
    if (!isHtmx(c)) return backTo(c, chrome, SWAP_PATHS.page, notice)
    return fragment(c, <LockBanner lock={lock} />)
  })

  return app
}
