/** How every dashboard answer leaves: HTML with the page headers (CSP, no caching of live state). */
import type { Context } from 'hono'
import type { Logger } from '../shared/logger.ts'
import type { AppEnv } from '../shared/service.ts'
import type { Notice } from './components/notice.tsx'
import { FLASH_PARAM } from './flash.ts'
import { type Chrome, UNLOCK_NOTES } from './layout/layout.tsx'
import { toHtml } from './status-stream.tsx'

/**
 * Our pages load scripts and styles from our own origin only; nothing inline, nothing remote.
 * Set per response, not as `use('*')` middleware, which would leak onto the gateway's API routes.
 */
export const PAGE_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  // Live state: a cached copy would show the owner a cluster that no longer exists.
  'Cache-Control': 'no-store',
}

export type PageStatus = 200 | 404 | 422

export const sendHtml = (c: Context<AppEnv>, html: string, status: PageStatus = 200) =>
  c.html(html, status, PAGE_HEADERS)

/** A whole page. */
export const page = async (c: Context<AppEnv>, node: unknown, status: PageStatus = 200) =>
  sendHtml(c, `<!doctype html>${await toHtml(node)}`, status)

/** A piece of a page that htmx swaps in. */
export const fragment = async (c: Context<AppEnv>, node: unknown, status: PageStatus = 200) =>
  sendHtml(c, await toHtml(node), status)

/** The page frame for this request: who the browser's API key says it is (null: none, or keys are off). */
export const chromeFor = (chrome: Chrome, c: Context<AppEnv>): Chrome => ({
  ...chrome,
  viewer: c.var.actor ?? null,
  owner: c.var.owner ?? false,
  here: c.req.path,
  unlockNote: UNLOCK_NOTES.find((n) => n === c.req.query('unlock')) ?? null,
  flash: chrome.notices?.take(c.req.query(FLASH_PARAM)) ?? null,
})

/**
 * The answer to a plain form post (no JavaScript): back to `path` (303), carrying what the action
 * came to so that page can say it.
 */
export const backTo = (c: Context<AppEnv>, chrome: Chrome, path: string, notice: Notice | null) =>
  c.redirect(chrome.notices ? chrome.notices.redirectPath(path, notice) : path, 303)

/**
 * A read for a page that may fail: logged with the request's id, and null to the page, which then
 * says "not available right now" instead of failing.
 */
export function pageReader(fallback: Logger, source: string) {
  return async <T>(c: Context<AppEnv>, what: string, p: Promise<T>): Promise<T | null> => {
    try {
      return await p
    } catch (err) {
      ;(c.var.log ?? fallback).warn(
        { reason: (err as Error).message, what },
        `dashboard: ${source} read failed`,
      )
      return null
    }
  }
}
