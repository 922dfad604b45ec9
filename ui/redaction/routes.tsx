/**
 * The dashboard's redaction page: try hiding the details of a text and putting them back into a
 * reply, and see how many of each kind were hidden over time. Values from the form are checked
 * here before anything is sent (length, the names-pass choice, the map handle's shape); the
 * redaction-gateway's refusals are shown in words. Texts are never logged. htmx swaps only 2xx, so
 * answers to htmx are 200 with the notice inside.
 */
import { type Context, Hono } from 'hono'
import type { Logger } from '../../shared/logger.ts'
import type { AppEnv } from '../../shared/service.ts'
import { isHtmx } from '../actions.ts'
import type { Notice } from '../components/notice.tsx'
import type { Chrome } from '../layout/layout.tsx'
import { RedactionPage, type RedactionPageData } from '../pages/redaction.tsx'
import { chromeFor, fragment, page, pageReader } from '../respond.ts'
import { type GetStatus, readStatus } from '../status-source.ts'
import { CountsPanel } from './counts.tsx'
import { DEFAULT_COUNT_HOURS, REDACTION_PATHS, TRY_MAX_CHARS } from './paths.ts'
import type { RedactionSource, ScrubAnswer, ScrubTry } from './source.ts'
import {
  type RestoredResult,
  RestoredView,
  type ScrubResult,
  ScrubResultView,
  type ScrubView,
} from './try-it.tsx'
import { redactionNotice } from './words.ts'

export interface RedactionDashboardDeps {
  redaction: RedactionSource
  chrome: Chrome
  logger: Logger
  /** The cluster status: the names pass by the cluster's model is offered first while a model is loaded. */
  getStatus?: GetStatus
}

/** The map handle as the redaction-gateway makes them (base64url), with room to spare. */
const HANDLE = /^[A-Za-z0-9_-]{1,200}$/
const STATUS_READ_MS = 1500
const MAX_HOURS = 720

const text = (v: unknown) => (typeof v === 'string' ? v : '')

function scrubInput(form: Record<string, unknown>): ScrubTry | Notice {
  const t = text(form.text)
  if (!t.trim()) return { tone: 'bad', text: 'Paste some text to scrub.' }
  if (t.length > TRY_MAX_CHARS)
    return {
      tone: 'bad',
      text: `That is ${t.length} characters; the try-it form takes up to ${TRY_MAX_CHARS}.`,
    }
  const ner =
    form.ner === 'auto' ? 'auto' : form.ner === 'rules_only' || form.ner === undefined ? 'rules_only' : null
  if (!ner) return { tone: 'bad', text: 'Choose how to find names.' }
  return { text: t, ner }
}

function hoursOf(raw: string | undefined): number {
  const n = Number(raw)
  return Number.isInteger(n) && n >= 1 && n <= MAX_HOURS ? n : DEFAULT_COUNT_HOURS
}

/** The scrub as the page shows it: the one item's text, its flagged phrases, when its map expires. */
function viewOf(answer: ScrubAnswer): ScrubView {
  const item = answer.items[0]
  const scrubbed = item?.scrubbed_text ?? ''
  const flags = answer.stats.descriptive_flags
    .filter((f) => f.item === item?.id)
    .map((f) => scrubbed.slice(f.span[0], f.span[1]))
    .filter(Boolean)
  return {
    mapHandle: answer.map_handle,
    scrubbed,
    expiresAt: answer.expires_at.replace('T', ' ').slice(0, 16),
    dropped: answer.stats.tier1_dropped,
    flags,
  }
}

export function redactionDashboardRoutes(deps: RedactionDashboardDeps): Hono<AppEnv> {
  const { redaction, chrome } = deps
  const app = new Hono<AppEnv>()
  const read = pageReader(deps.logger, 'redaction')

  const counts = (c: Context<AppEnv>, hours: number) =>
    read(c, 'counts', redaction.stats(hours, c.req.raw.signal))

  /** Whether the cluster serves a model now: then the names pass by it is the first choice. */
  async function modelServed(c: Context<AppEnv>): Promise<boolean> {
    if (!deps.getStatus) return false
    const status = await read(c, 'status', readStatus(deps.getStatus, c.req.raw.signal, STATUS_READ_MS))
    return !!status?.loaded_model
  }

  async function pageData(
    c: Context<AppEnv>,
    form: Partial<ScrubTry>,
    result: ScrubResult | null,
  ): Promise<RedactionPageData> {
    const hours = hoursOf(c.req.query('hours'))
    const [served, stats] = await Promise.all([modelServed(c), counts(c, hours)])
    const autoNote = served
      ? null
      : 'The cluster serves no chat model right now, so only the rules can look for names.'
    return {
      form: { text: form.text, ner: form.ner ?? (served ? 'auto' : 'rules_only'), autoNote },
      result,
      stats,
      hours,
    }
  }

  app.get(REDACTION_PATHS.page, async (c) =>
    page(c, <RedactionPage chrome={chromeFor(chrome, c)} data={await pageData(c, {}, null)} />),
  )

  app.get(REDACTION_PATHS.counts, async (c) => {
    const hours = hoursOf(c.req.query('hours'))
    return fragment(c, <CountsPanel stats={await counts(c, hours)} hours={hours} />)
  })

  app.post(REDACTION_PATHS.scrub, async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)
    const input = scrubInput(form)
    let result: ScrubResult
    if ('tone' in input) result = { notice: input, view: null }
    else {
      try {
        result = { notice: null, view: viewOf(await redaction.scrub(input, c.req.raw.signal)) }
      } catch (err) {
        ;(c.var.log ?? deps.logger).warn({ reason: (err as Error).message }, 'dashboard: scrub try-it failed')
        result = { notice: redactionNotice(err), view: null }
      }
    }
    if (isHtmx(c)) {
      // The counts below the form move with this scrub: they come along, swapped in out of band.
      const stats = result.view ? await counts(c, DEFAULT_COUNT_HOURS) : null
      return fragment(
        c,
        <>
          <ScrubResultView result={result} />
          {result.view ? <CountsPanel stats={stats} hours={DEFAULT_COUNT_HOURS} oob /> : null}
        </>,
      )
    }
    const kept = { text: text(form.text), ner: 'tone' in input ? undefined : input.ner }
    const body = <RedactionPage chrome={chromeFor(chrome, c)} data={await pageData(c, kept, result)} />
    return page(c, body, 'tone' in input ? 422 : 200)
  })

  app.post(REDACTION_PATHS.rehydrate, async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)
    const handle = text(form.map_handle)
    const reply = text(form.reply)
    let restored: RestoredResult
    if (!HANDLE.test(handle))
      restored = { notice: { tone: 'bad', text: 'Scrub a text first.' }, restored: null }
    else if (!reply.trim())
      restored = { notice: { tone: 'bad', text: 'Paste a reply to fill in.' }, restored: null }
    else if (reply.length > TRY_MAX_CHARS)
      restored = {
        notice: { tone: 'bad', text: `A reply here is up to ${TRY_MAX_CHARS} characters.` },
        restored: null,
      }
    else {
      try {
        restored = { notice: null, restored: await redaction.rehydrate(handle, reply, c.req.raw.signal) }
      } catch (err) {
        ;(c.var.log ?? deps.logger).warn(
          { reason: (err as Error).message },
          'dashboard: rehydrate try-it failed',
        )
        restored = { notice: redactionNotice(err), restored: null }
      }
    }
    if (isHtmx(c)) return fragment(c, <RestoredView result={restored} />)
    // Without JavaScript the whole page comes back: the scrubbed text rode along in a hidden field.
    const view = HANDLE.test(handle) ? { mapHandle: handle, scrubbed: text(form.scrubbed) } : null
    const result = { notice: null, view, restored }
    return page(c, <RedactionPage chrome={chromeFor(chrome, c)} data={await pageData(c, {}, result)} />)
  })
  return app
}
