/**
 * The dashboard's API keys page and its two actions, create and revoke. The actions are plain form
 * posts under `/ui/actions/`, so they pass the gateway's same-origin guard, carry the form's CSRF
 * token and need the admin scope like every change made from the dashboard. A created key comes
 * back in the answer itself (the panel, or without JavaScript the whole page, 200), never through
 * a redirect: it must not wait anywhere to be shown a second time.
 */
import { type Context, Hono } from 'hono'
import { keyCreateBody } from '../../shared/contracts/keys.ts'
import { AppError } from '../../shared/errors.ts'
import type { Logger } from '../../shared/logger.ts'
import type { AppEnv } from '../../shared/service.ts'
import { actorOf, isHtmx } from '../actions.ts'
import type { Notice } from '../components/notice.tsx'
import type { Chrome } from '../layout/layout.tsx'
import { backTo, chromeFor, fragment, page, pageReader } from '../respond.ts'
import { KeysPage } from './page.tsx'
import { KeysPanel, type KeysPanelProps } from './panel.tsx'
import { KEYS_PATHS } from './paths.ts'
import type { KeysSource } from './source.ts'

export interface KeysDashboardDeps {
  keys: KeysSource
  chrome: Chrome
  logger: Logger
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String)
const first = (v: unknown): string => asList(v)[0] ?? ''

function refusal(err: unknown): Notice {
  if (err instanceof AppError && err.status < 500) return { tone: 'bad', text: err.message }
  return { tone: 'bad', text: 'The key file could not be changed right now; nothing was changed.' }
}

export function keysDashboardRoutes(deps: KeysDashboardDeps): Hono<AppEnv> {
  const { keys, chrome } = deps
  const app = new Hono<AppEnv>()
  const read = pageReader(deps.logger, 'keys')
  const allowed = (c: Context<AppEnv>) => keys.mayManage(c.req.raw, c.var.owner ?? false)
  const logOf = (c: Context<AppEnv>) => c.var.log ?? deps.logger

  async function panelProps(c: Context<AppEnv>, extra: Partial<KeysPanelProps>): Promise<KeysPanelProps> {
    if (!allowed(c)) return { keys: null, allowed: false }
    return { keys: await read(c, 'keys', keys.list()), allowed: true, ...extra }
  }

  /** htmx: the panel in place; a plain post: back to the page with the notice (never a key). */
  async function answer(c: Context<AppEnv>, notice: Notice) {
    if (!isHtmx(c)) return backTo(c, chrome, KEYS_PATHS.page, notice)
    return fragment(c, <KeysPanel {...(await panelProps(c, { notice }))} />)
  }

  app.get(KEYS_PATHS.page, async (c) =>
    page(c, <KeysPage chrome={chromeFor(chrome, c)} {...(await panelProps(c, {}))} />),
  )

  app.post(KEYS_PATHS.create, async (c) => {
    if (!allowed(c)) throw new AppError(403, 'insufficient_scope', 'Managing API keys needs the admin scope.')
    const form = await c.req.parseBody({ all: true }).catch(() => ({}) as Record<string, unknown>)
    const parsed = keyCreateBody.safeParse({ name: first(form.name).trim(), scopes: asList(form.scopes) })
    if (!parsed.success) {
      const items = parsed.error.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`)
      return answer(c, { tone: 'bad', text: 'The key was not created.', items })
    }
    try {
      const created = await keys.create(parsed.data.name, parsed.data.scopes, actorOf(c))
      const props = await panelProps(c, { created })
      if (isHtmx(c)) return fragment(c, <KeysPanel {...props} />)
      return page(c, <KeysPage chrome={chromeFor(chrome, c)} {...props} />)
    } catch (err) {
      logOf(c).warn({ reason: (err as Error).message }, 'dashboard: API key not created')
      return answer(c, refusal(err))
    }
  })

  app.post(KEYS_PATHS.revoke, async (c) => {
    if (!allowed(c)) throw new AppError(403, 'insufficient_scope', 'Managing API keys needs the admin scope.')
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)
    const name = first(form.name)
    if (first(form.confirm) !== 'yes')
      return answer(c, {
        tone: 'warn',
        text: `Tick the box beside "${name}" to confirm; nothing was revoked.`,
      })
    try {
      await keys.revoke(name, actorOf(c))
      return answer(c, {
        tone: 'good',
        text: `Revoked "${name}": requests with it are refused within about two seconds.`,
      })
    } catch (err) {
      logOf(c).warn({ reason: (err as Error).message }, 'dashboard: API key not revoked')
      return answer(c, refusal(err))
    }
  })
  return app
}
