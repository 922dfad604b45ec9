/** What every dashboard form handler needs to know about the request: who clicked, and whether htmx asked. */
import type { Context } from 'hono'
import type { AppEnv } from '../shared/service.ts'

/** Who the audit log names for a click in the dashboard (the API names its caller). */
export const DASHBOARD_ACTOR = 'dashboard'

/** "dashboard", or "dashboard:<key name>" when an API key unlocked it. */
export const actorOf = (c: Context<AppEnv>) =>
  c.var.actor ? `${DASHBOARD_ACTOR}:${c.var.actor}` : DASHBOARD_ACTOR

/** htmx swaps the answer in; a plain form post is sent back to the page (303). */
export const isHtmx = (c: Context<AppEnv>) => c.req.header('hx-request') === 'true'

/**
 * Whether the click came from the overview (htmx names the page it was made on). There the page's
 * feed redraws what the click changed, together with everything else, so the answer leaves those
 * regions alone.
 */
export function fromOverview(c: Context<AppEnv>): boolean {
  const page = c.req.header('hx-current-url')
  if (!page || !URL.canParse(page)) return false
  return new URL(page).pathname === '/'
}
