/**
 * The dashboard's operations page, its refreshing fragments (service cards, sweeps), its three
 * questions, and its three actions (restart, re-apply patches, start a sweep). The actions are
 * plain form posts under `/ui/actions/`, so they pass the gateway's same-origin and admin-key rules
 * like every other change made from the dashboard; each sends `confirm: true` only because a person
 * said yes to the question. htmx swaps the answer in place; without JavaScript the post lands back
 * on the page (303) with the answer as a notice.
 */
import { type Context, Hono } from 'hono'
import type { Logger } from '../../shared/logger.ts'
import { isSafeName } from '../../shared/names.ts'
import type { AppEnv } from '../../shared/service.ts'
import { actorOf, isHtmx } from '../actions.ts'
import { type Notice, NoticeBox } from '../components/notice.tsx'
import type { Chrome } from '../layout/layout.tsx'
import { type OpsAsked, OpsPage } from '../pages/ops.tsx'
import { backTo, chromeFor, fragment, page } from '../respond.ts'
import { PatchesPanel, PatchReport, patchReportLines } from './patches.tsx'
import { OPS_PATHS } from './paths.ts'
import { type Asking, patchesQuestion, restartQuestion, sweepQuestion } from './questions.tsx'
import { type ReadOptions, readOps, readPatches, readServices, readSweeps } from './read.ts'
import { RestartResult, restartNotice } from './restart.tsx'
import { ServicesPanel } from './services.tsx'
import type { OpsSource } from './source.ts'
import { isSweepTarget, TARGETS } from './sweep-words.ts'
import { SweepsPanel } from './sweeps.tsx'
import { changeRefusal, restartRefusal } from './words-errors.ts'

export interface OpsDashboardDeps {
  ops: OpsSource
  chrome: Chrome
  logger: Logger
  now: () => Date
}

type FormBody = Record<string, string | File | (string | File)[]>

const strings = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string')

const NOT_CONFIRMED: Notice = {
  tone: 'warn',
  text: 'Nothing was done: the question was not answered with yes.',
}

export function opsDashboardRoutes(deps: OpsDashboardDeps): Hono<AppEnv> {
  const { ops, chrome, now } = deps
  const app = new Hono<AppEnv>()
  const log = (c: Context<AppEnv>) => c.var.log ?? deps.logger
  const options = (c: Context<AppEnv>): ReadOptions => ({
    now: now(),
    signal: c.req.raw.signal,
    onFailure: (what, err) =>
      log(c).warn({ reason: (err as Error).message, what }, 'dashboard: ops read failed'),
  })
  const asking = (c: Context<AppEnv>): Asking => ({ ops, actor: actorOf(c), signal: c.req.raw.signal })
  const form = async (c: Context<AppEnv>): Promise<FormBody> =>
    c.req.parseBody({ all: true }).catch(() => ({}))
  const confirmed = (body: FormBody) => strings(body.confirm)[0] === 'true'

  app.get(OPS_PATHS.page, async (c) => {
    const [data, asked] = await Promise.all([readOps(ops, options(c)), askedOf(c)])
    return page(c, <OpsPage chrome={chromeFor(chrome, c)} data={data} asked={asked} />)
  })

  /** Without JavaScript a question is the page itself, asked for in its query. */
  async function askedOf(c: Context<AppEnv>): Promise<OpsAsked> {
    const restart = c.req.query('restart')
    const sweep = c.req.query('sweep') ?? ''
    return {
      restart: restart ? await restartQuestion(asking(c), restart) : undefined,
      patches: c.req.query('patches') === 'apply' ? await patchesQuestion(asking(c)) : undefined,
      sweep: sweep ? await sweepQuestion(asking(c), sweep, chrome.simulated) : undefined,
      sweepTarget: isSweepTarget(sweep) ? sweep : undefined,
    }
  }

  app.get(OPS_PATHS.services, async (c) =>
    fragment(c, <ServicesPanel part={await readServices(ops, options(c))} now={now()} />),
  )
  app.get(OPS_PATHS.sweeps, async (c) =>
    fragment(c, <SweepsPanel part={await readSweeps(ops, options(c))} now={now()} />),
  )

  // No parameter: "Not now" empties the question's place.
  app.get(OPS_PATHS.restartConfirm, async (c) => {
    const service = c.req.query('service') ?? ''
    return fragment(c, service ? await restartQuestion(asking(c), service) : '')
  })
  app.get(OPS_PATHS.patchesConfirm, async (c) =>
    fragment(c, c.req.query('dismiss') ? '' : await patchesQuestion(asking(c))),
  )
  app.get(OPS_PATHS.sweepConfirm, async (c) => {
    const target = c.req.query('sweep') ?? ''
    return fragment(c, target ? await sweepQuestion(asking(c), target, chrome.simulated) : '')
  })

  app.post(OPS_PATHS.restart, async (c) => {
    const body = await form(c)
    const service = strings(body.service)[0] ?? ''
    let notice: Notice
    if (!isSafeName(service)) notice = { tone: 'bad', text: 'Pick a service from the cards first.' }
    else if (!confirmed(body)) notice = NOT_CONFIRMED
    else {
      try {
        notice = restartNotice(await ops.restart(service, 'confirm', actorOf(c), c.req.raw.signal))
      } catch (err) {
        log(c).warn({ reason: (err as Error).message, service }, 'dashboard: restart refused or failed')
        notice = restartRefusal(err, service, null)
      }
    }
    if (!isHtmx(c)) return backTo(c, chrome, OPS_PATHS.page, notice)
    const services = await readServices(ops, options(c))
    return fragment(
      c,
      <>
        <RestartResult notice={notice} service={service} />
        <ServicesPanel part={services} now={now()} oob />
      </>,
    )
  })

  app.post(OPS_PATHS.applyPatches, async (c) => {
    const body = await form(c)
    const ids = strings(body.ids)
    if (!ids.every((id) => isSafeName(id)) || !confirmed(body)) {
      const notice = confirmed(body)
        ? { tone: 'bad' as const, text: 'That is not a patch of this list.' }
        : NOT_CONFIRMED
      return isHtmx(c)
        ? fragment(c, <NoticeBox notice={notice} />)
        : backTo(c, chrome, OPS_PATHS.page, notice)
    }
    try {
      const done = await ops.applyPatches(ids.length ? ids : null, 'confirm', actorOf(c), c.req.raw.signal)
      if (!isHtmx(c)) {
        const problems = done.results.some((r) => !r.skipped && !r.applied)
        const text = problems ? 'Some patches were not applied:' : 'The missing patches are applied.'
        return backTo(c, chrome, OPS_PATHS.page, {
          tone: problems ? 'bad' : 'good',
          text,
          items: patchReportLines(done),
        })
      }
      const patches = await readPatches(ops, options(c))
      return fragment(
        c,
        <>
          <PatchReport done={done} />
          <PatchesPanel part={patches} now={now()} oob />
        </>,
      )
    } catch (err) {
      log(c).warn({ reason: (err as Error).message }, 'dashboard: patch run refused or failed')
      const notice = changeRefusal(err, 'The patch run was')
      return isHtmx(c)
        ? fragment(c, <NoticeBox notice={notice} />)
        : backTo(c, chrome, OPS_PATHS.page, notice)
    }
  })

  app.post(OPS_PATHS.startSweep, async (c) => {
    const body = await form(c)
    const target = strings(body.target)[0] ?? ''
    const live = strings(body.confirm_live)[0] === 'true'
    let notice: Notice
    if (!isSweepTarget(target)) notice = { tone: 'bad', text: 'Pick what to measure from the list first.' }
    else if (!confirmed(body)) notice = NOT_CONFIRMED
    else if (!chrome.simulated && !live)
      notice = {
        tone: 'warn',
        text: 'Nothing was started: on real Sparks, tick that you understand it loads the GPU.',
      }
    else {
      try {
        const request = { target, confirm: true, ...(live ? { confirm_live: true } : {}) }
        const started = await ops.startSweep(request, actorOf(c), c.req.raw.signal)
        notice = {
          tone: 'good',
          text: `Started a sweep of ${TARGETS[target]} (${started.id}); its progress shows below.`,
        }
      } catch (err) {
        log(c).warn({ reason: (err as Error).message, target }, 'dashboard: sweep refused or failed')
        notice = changeRefusal(err, 'The sweep was')
      }
    }
    if (!isHtmx(c)) return backTo(c, chrome, OPS_PATHS.page, notice)
    const sweeps = await readSweeps(ops, options(c))
    return fragment(
      c,
      <>
        <NoticeBox notice={notice} />
        <SweepsPanel part={sweeps} now={now()} oob />
      </>,
    )
  })

  return app
}
