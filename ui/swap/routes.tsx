/**
 * The dashboard's swap pages, their self-refreshing fragments and the forms a person submits.
 * Reads degrade to "not available right now" (never an error page); the forms answer with the
 * fragment to show, refusals (423 lock, 409 busy) included as notices, because htmx swaps only 2xx.
 * Without JavaScript the forms post normally and land back on the swap page (303).
 */
import { type Context, Hono } from 'hono'
import type { Logger } from '../../shared/logger.ts'
import { isSafeName } from '../../shared/names.ts'
import type { AppEnv } from '../../shared/service.ts'
import { actorOf, fromOverview, isHtmx } from '../actions.ts'
import type { Notice } from '../components/notice.tsx'
import { deliberateStop, MODEL_CHANGES, STOP_HISTORY } from '../components/stopped.ts'
import type { Chrome } from '../layout/layout.tsx'
import { HistoryPage } from '../pages/history.tsx'
import { LOG_PAGE_LINES, LogLines, LogsPage } from '../pages/logs.tsx'
import { SwapPage } from '../pages/swap.tsx'
import { backTo, chromeFor, fragment, page, pageReader } from '../respond.ts'
import { toHtml } from '../status-stream.tsx'
import { refusalWords, switchBlock } from './blocked.ts'
import { SwapConfirm } from './confirm.tsx'
import { LockBanner } from './lock-banner.tsx'
import { HEALTH_PARAM, withoutHealthPolls } from './log-filter.ts'
import { ModelCard, SwitchForm, servedKey } from './model-card.tsx'
import { NodeCards } from './node-cards.tsx'
import { SWAP_PATHS } from './paths.ts'
import { progressKey, SwapNotice, SwapProgress } from './progress.tsx'
import { type FitLookup, RecipeSection } from './recipe-list.tsx'
import {
  type CatalogList,
  type LockView,
  type SwapSource,
  SwapSourceError,
  type SwapStateView,
} from './source.ts'

export interface SwapDashboardDeps {
  swap: SwapSource
  chrome: Chrome
  logger: Logger
  now: () => Date
  /** Lines of the model's log shown under a running switch. */
  logTailLines?: number
  /** Told when a click may have changed the switch or the lock, so open overviews redraw at once. */
  onChange?: () => void
}

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
    // The tail under a switch is for what the model says while loading: our health polls are left out.
    const logs = running
      ? withoutHealthPolls(
          (await read(c, 'logs', swap.recentLogs(tail * 3, signal))) ?? [],
          false,
        ).lines.slice(-tail)
      : []
    // After a switch, whether the model was stopped since (then "Switched to …" is no longer the state).
    const stopped =
      state?.job && !running
        ? deliberateStop(await read(c, 'history', swap.history(STOP_HISTORY, signal, MODEL_CHANGES)))
        : null
    return { state, logs, stopped }
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
    const valid = catalog?.models.filter((m) => m.valid && isSafeName(m.key)) ?? []
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

  /**
   * The confirmation's facts; `unknown` when there is no usable recipe of that name, `unavailable`
   * when the controller did not answer the catalog or the fit check (not the recipe's fault).
   */
  async function confirmData(c: Context<AppEnv>, recipe: string, catalog?: CatalogList | null) {
    const signal = c.req.raw.signal
    const list = catalog === undefined ? await read(c, 'catalog', swap.catalog(signal)) : catalog
    if (!list) return 'unavailable' as const
    const model = list.models.find((m) => m.key === recipe && m.valid)
    if (!model) return 'unknown' as const
    const [check, lock, state] = await Promise.all([
      read(c, 'validate', swap.validate(recipe, signal)),
      read(c, 'lock', swap.lock(signal)),
      read(c, 'state', swap.state(signal)),
    ])
    if (!check) return 'unavailable' as const
    return { model, check, lock, block: switchBlock(state, lock, deps.now()) }
  }

  /** The recipe list as it is now; while a switch runs, fits are not checked (they would change anyway). */
  async function recipesData(
    c: Context<AppEnv>,
    pre?: { catalog: CatalogList | null; state: SwapStateView | null; lock: LockView | null },
  ) {
    const signal = c.req.raw.signal
    const [catalog, state, lock] = pre
      ? [pre.catalog, pre.state, pre.lock]
      : await Promise.all([
          read(c, 'catalog', swap.catalog(signal)),
          read(c, 'state', swap.state(signal)),
          read(c, 'lock', swap.lock(signal)),
        ])
    const block = switchBlock(state, lock, deps.now())
    const running = state?.job?.outcome === 'running' ? state.job : null
    const fits: FitLookup = running ? new Map() : await fitsOf(c, catalog)
    return { catalog, fits, block, job: running }
  }

  async function refusal(c: Context<AppEnv>, err: unknown): Promise<Notice> {
    if (!(err instanceof SwapSourceError))
      return { tone: 'bad', text: 'The swap controller did not answer; nothing was changed.' }
    const lock = err.status === 423 ? await read(c, 'lock', swap.lock(c.req.raw.signal)) : null
    // A lock taken after the page loaded: the lock notice (with its release button) re-reads now.
    if (err.status === 423) announceChange(c)
    return {
      tone: err.status < 500 ? 'warn' : 'bad',
      text: refusalWords(err.status, err.message, lock, deps.now()),
    }
  }

  /** Tells the page's other regions (recipes, card, lock notice) that a switch started or ended. */
  const announceChange = (c: Context<AppEnv>) => {
    c.header('HX-Trigger', 'swap-changed')
    deps.onChange?.()
  }

  /**
   * On the overview a click's answer is only its notice (and the emptied confirmation): the feed,
   * woken now, redraws the progress, card, summary and lock together from one read.
   */
  async function overviewAnswer(c: Context<AppEnv>, notice: Notice | null, extra = '') {
    deps.onChange?.()
    c.header('HX-Reswap', 'none')
    return fragment(c, `${await toHtml(<SwapNotice notice={notice} oob />)}${extra}`)
  }

  app.get(SWAP_PATHS.page, async (c) => {
    const signal = c.req.raw.signal
    const [catalog, telemetry, lock, progress] = await Promise.all([
      read(c, 'catalog', swap.catalog(signal)),
      read(c, 'telemetry', swap.telemetry(signal)),
      read(c, 'lock', swap.lock(signal)),
      progressData(c),
    ])
    const recipe = c.req.query('recipe')
    const [recipes, confirm] = await Promise.all([
      recipesData(c, { catalog, state: progress.state, lock }),
      recipe && isSafeName(recipe) ? confirmData(c, recipe, catalog) : null,
    ])
    const data = {
      card: { state: progress.state, telemetry },
      progress,
      recipes,
      telemetry,
      lock,
      confirm: typeof confirm === 'object' ? confirm : null,
    }
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
    const raw = await read(c, 'logs', swap.recentLogs(LOG_PAGE_LINES, c.req.raw.signal, node ?? undefined))
    const health = c.req.query(HEALTH_PARAM) === 'show'
    const shown = raw === null ? null : withoutHealthPolls(raw, health)
    return { lines: shown?.lines ?? null, hidden: shown?.hidden ?? 0, nodes, node, health }
  }

  app.get(SWAP_PATHS.logs, async (c) =>
    page(c, <LogsPage chrome={chromeFor(chrome, c)} data={await logsData(c)} />),
  )
  app.get(SWAP_PATHS.logLines, async (c) => fragment(c, <LogLines data={await logsData(c)} />))

  app.get(SWAP_PATHS.modelCard, async (c) => {
    const signal = c.req.raw.signal
    const [state, telemetry] = await Promise.all([
      read(c, 'state', swap.state(signal)),
      read(c, 'telemetry', swap.telemetry(signal)),
    ])
    const seen = c.req.query('seen')
    if (seen !== undefined && telemetry !== null && seen !== servedKey({ state, telemetry }))
      announceChange(c)
    return fragment(c, <ModelCard data={{ state, telemetry }} />)
  })

  app.get(SWAP_PATHS.progress, async (c) => {
    const data = await progressData(c)
    const seen = c.req.query('seen')
    if (seen !== undefined && data.state !== null && seen !== progressKey(data.state)) announceChange(c)
    // While a switch runs the card comes along, from this same state read, so both name the same step.
    if (data.state?.job?.outcome !== 'running') return fragment(c, <SwapProgress data={data} />)
    const telemetry = await read(c, 'telemetry', swap.telemetry(c.req.raw.signal))
    return fragment(
      c,
      <>
        <SwapProgress data={data} />
        <ModelCard data={{ state: data.state, telemetry }} oob />
      </>,
    )
  })

  app.get(SWAP_PATHS.recipes, async (c) => fragment(c, <RecipeSection data={await recipesData(c)} />))

  app.get(SWAP_PATHS.lock, async (c) =>
    fragment(c, <LockBanner lock={await read(c, 'lock', swap.lock(c.req.raw.signal))} now={deps.now()} />),
  )

  app.get(SWAP_PATHS.switchForm, async (c) => {
    const signal = c.req.raw.signal
    const [catalog, state, lock] = await Promise.all([
      read(c, 'catalog', swap.catalog(signal)),
      read(c, 'state', swap.state(signal)),
      read(c, 'lock', swap.lock(signal)),
    ])
    const chosen = c.req.query('recipe')
    const selected = chosen && isSafeName(chosen) ? chosen : null
    return fragment(
      c,
      <SwitchForm
        models={catalog?.models ?? null}
        block={switchBlock(state, lock, deps.now())}
        selected={selected}
      />,
    )
  })

  app.get(SWAP_PATHS.nodes, async (c) => {
    const telemetry = await read(c, 'telemetry', swap.telemetry(c.req.raw.signal))
    return fragment(c, <NodeCards telemetry={telemetry} now={deps.now()} />)
  })

  app.get(SWAP_PATHS.confirm, async (c) => {
    const recipe = c.req.query('recipe')
    // No recipe: "Keep the current model" — the panel empties.
    if (!recipe) return fragment(c, '')
    const data = isSafeName(recipe) ? await confirmData(c, recipe) : 'unknown'
    if (data === 'unknown') {
      return fragment(
        c,
        <p class="notice notice-warn">There is no usable recipe named {recipe.slice(0, 128)}.</p>,
      )
    }
    if (data === 'unavailable') {
      return fragment(
        c,
        <p class="notice notice-warn" data-confirm-unavailable={recipe}>
          The switch to {recipe} could not be checked just now: the model control did not answer. Ask again in
          a moment.
        </p>,
      )
    }
    return fragment(c, <SwapConfirm data={data} />)
  })

  app.post(SWAP_PATHS.start, async (c) => {
    recentFits = null
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)
    const recipe = typeof form.recipe === 'string' ? form.recipe : ''
    let notice: Notice | null = null
    if (!isSafeName(recipe)) notice = { tone: 'bad', text: 'Pick a model from the list first.' }
    else {
      try {
        await swap.start(recipe, actorOf(c), c.req.raw.signal)
      } catch (err) {
        notice = await refusal(c, err)
      }
    }
    if (!isHtmx(c)) return backTo(c, chrome, SWAP_PATHS.page, notice)
    if (!notice) announceChange(c)
    const clearConfirm = '<div id="swap-confirm" hx-swap-oob="true"></div>'
    if (fromOverview(c)) return overviewAnswer(c, notice, clearConfirm)
    const html = await toHtml(
      <>
        {<SwapProgress data={await progressData(c)} />}
        <SwapNotice notice={notice} oob />
      </>,
    )
    return fragment(c, `${html}${clearConfirm}`)
  })

  app.post(SWAP_PATHS.cancel, async (c) => {
    recentFits = null
    let notice: Notice | null = null
    try {
      await swap.cancel(actorOf(c), c.req.raw.signal)
    } catch (err) {
      notice = await refusal(c, err)
    }
    if (!isHtmx(c)) return backTo(c, chrome, SWAP_PATHS.page, notice)
    if (!notice) announceChange(c)
    if (fromOverview(c)) return overviewAnswer(c, notice)
    return fragment(
      c,
      <>
        {<SwapProgress data={await progressData(c)} />}
        <SwapNotice notice={notice} oob />
      </>,
    )
  })

  app.post(SWAP_PATHS.releaseLock, async (c) => {
    let lock = null
    let notice: Notice | null = null
    try {
      lock = await swap.forceReleaseLock(actorOf(c), c.req.raw.signal)
    } catch (err) {
      logOf(c).warn({ reason: (err as Error).message }, 'dashboard: lock release failed')
      notice = await refusal(c, err)
      lock = await read(c, 'lock', swap.lock(c.req.raw.signal))
    }
    if (!isHtmx(c)) return backTo(c, chrome, SWAP_PATHS.page, notice)
    // Released: the recipe list and the switch form may offer switching again.
    if (!notice) announceChange(c)
    if (fromOverview(c)) return overviewAnswer(c, notice)
    return fragment(c, <LockBanner lock={lock} now={deps.now()} />)
  })

  return app
}
