/**
 * The dashboard's Settings page and its one action, saving the form. The action is a plain form
 * post under `/ui/actions/`, so it passes the gateway's same-origin guard and needs the admin key
 * scope like every change made from the dashboard. htmx swaps the answer in place (200, the notice
 * inside); without JavaScript the post lands back on the page (303) with the answer as a notice.
 */
import { type Context, Hono } from 'hono'
import type { Logger } from '../../shared/logger.ts'
import type { AppEnv } from '../../shared/service.ts'
import { actorOf, isHtmx } from '../actions.ts'
import type { Notice } from '../components/notice.tsx'
import type { Chrome } from '../layout/layout.tsx'
import { SettingsPage } from '../pages/settings.tsx'
import { backTo, chromeFor, fragment, page, pageReader } from '../respond.ts'
import { SettingsPanel } from './form.tsx'
import { formChanges } from './form-input.ts'
import { SETTINGS_PATHS } from './paths.ts'
import type { SettingsBody, SettingsSource } from './source.ts'
import { refusedNotice, savedNotice } from './words.ts'

export interface SettingsDashboardDeps {
  settings: SettingsSource
  chrome: Chrome
  logger: Logger
}

export function settingsDashboardRoutes(deps: SettingsDashboardDeps): Hono<AppEnv> {
  const { settings, chrome } = deps
  const app = new Hono<AppEnv>()
  const read = pageReader(deps.logger, 'settings')

  app.get(SETTINGS_PATHS.page, async (c) =>
    page(c, <SettingsPage chrome={chromeFor(chrome, c)} body={await read(c, 'settings', settings.read())} />),
  )

  app.post(SETTINGS_PATHS.save, async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)
    let body: SettingsBody | null = null
    let notice: Notice
    try {
      const answer = await settings.update(formChanges(form, (await settings.read()).settings), actorOf(c))
      body = answer
      notice = savedNotice(answer)
    } catch (err) {
      logOf(c, deps.logger).warn({ reason: (err as Error).message }, 'dashboard: settings not saved')
      notice = refusedNotice(err)
    }
    if (!isHtmx(c)) return backTo(c, chrome, SETTINGS_PATHS.page, notice)
    body ??= await read(c, 'settings', settings.read())
    return fragment(c, <SettingsPanel body={body} notice={notice} />)
  })
  return app
}

const logOf = (c: Context<AppEnv>, fallback: Logger) => c.var.log ?? fallback
