/**
 * The frame around every page: banners that must never be missed, navigation, and the scripts.
 * Scripts are local files (see assets.ts) and `defer`red so the page paints before they run.
 */
import type { Child } from 'hono/jsx'
import { CsrfField, CsrfMeta } from '../components/csrf.tsx'
import { type Notice, NoticeBox } from '../components/notice.tsx'
import type { FlashNotices } from '../flash.ts'
import { Nav, type PageId } from './nav.tsx'

/**
 * `refused`: the unlock form was sent a key the gateway does not know. `needed` and `not-admin`: a
 * form posted without JavaScript was refused for want of a key, or of the admin scope (with
 * JavaScript, the page says so in place).
 */
export const UNLOCK_NOTES = ['refused', 'needed', 'not-admin'] as const
export type UnlockNote = (typeof UNLOCK_NOTES)[number]

export interface Chrome {
  simulated: boolean
  /** True while the control routes take no credentials (no API key for `admin`): the page says so. */
  controlsOpen: boolean
  /** The owner is logged in (dashboard password): the page offers to log out. */
  owner?: boolean
  /** With keys on: the name of the key this browser unlocked the controls with, or null. */
  viewer?: string | null
  /** This page's path, to come back to after unlocking. */
  here?: string
  /** Why the browser was just sent back to unlock (`?unlock=`): a key refused, or an action that needs one. */
  unlockNote?: UnlockNote | null
  /** What a form sent without JavaScript came to, shown once on the page it lands back on. */
  flash?: Notice | null
  /** Where those answers wait for that page (read by chromeFor, not rendered). */
  notices?: FlashNotices
  urls: { htmx: string; sse: string; css: string; script: string; icon: string }
}

/**
 * htmx settings: no inline <style> (our CSP forbids it) and no eval (we use no hx-on), so a
 * hostile string that slipped into an attribute could still never run as code.
 */
const HTMX_CONFIG = JSON.stringify({
  includeIndicatorStyles: false,
  allowEval: false,
  allowScriptTags: false,
})

export function Layout(props: { title: string; current: PageId | null; chrome: Chrome; children?: Child }) {
  const { chrome } = props
  const suffix = chrome.simulated ? ' (simulated cluster)' : ''
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="htmx-config" content={HTMX_CONFIG} />
        <CsrfMeta />
        <title>{`${props.title} — Spark Control${suffix}`}</title>
        <link rel="icon" href={chrome.urls.icon} type="image/svg+xml" />
        <link rel="stylesheet" href={chrome.urls.css} />
        <script src={chrome.urls.htmx} defer></script>
        <script src={chrome.urls.sse} defer></script>
        <script src={chrome.urls.script} defer></script>
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="site-header">
          {chrome.simulated ? <SimulatedBanner /> : null}
          {chrome.owner ? (
            <OwnerBanner />
          ) : chrome.controlsOpen ? (
            <OpenControlsBanner />
          ) : (
            <KeyBanner
              viewer={chrome.viewer ?? null}
              here={chrome.here ?? '/'}
              note={chrome.unlockNote ?? null}
            />
          )}
          <div class="brand-row">
            <a class="brand" href="/">
              Spark Control
            </a>
          </div>
          <Nav current={props.current} />
        </header>
        <main id="main" class="main" tabindex={-1}>
          {/* Where a refused or failed action says why (dashboard.js fills it; htmx swaps only 2xx). */}
          <p id="action-error" class="notice notice-bad" role="alert" hidden></p>
          <NoticeBox notice={chrome.flash} />
          {props.children}
        </main>
        <footer class="site-footer">
          <p>
            Spark Control{chrome.simulated ? ' · simulated cluster' : ''} ·{' '}
            <a href="/docs">API documentation</a>
          </p>
        </footer>
      </body>
    </html>
  )
}

function SimulatedBanner() {
  return (
    <div class="banner banner-sim" role="note" data-banner="simulated">
      <span class="banner-icon" aria-hidden="true">
        ⚙
      </span>
      <p>
        <strong>Simulated cluster — no real Sparks are connected.</strong>{' '}
        <span class="banner-more">
          Everything on these pages comes from the built-in simulator, a test tool.
        </span>
      </p>
    </div>
  )
}

function OwnerBanner() {
  return (
    <div class="banner banner-key" role="note" data-banner="owner">
      <p>Logged in as the owner.</p>
      <form method="post" action="/ui/logout">
        <CsrfField />
        <button type="submit" class="button button-quiet" data-action="log-out">
          Log out
        </button>
      </form>
    </div>
  )
}

function OpenControlsBanner() {
  return (
    <div class="banner banner-open" role="note" data-banner="open-controls">
      <span class="banner-icon" aria-hidden="true">
        ⚠
      </span>
      <p>
        <strong>Control is open to anyone on your network.</strong>{' '}
        <span class="banner-more">
          No API keys or dashboard password are turned on yet, so anyone who can reach this address can switch
          models or restart services.
        </span>
      </p>
    </div>
  )
}

/**
 * With API keys on for the control routes: either who this browser acts as, with a way to forget
 * the key, or the form to unlock the controls with one. The key goes to the gateway once and is
 * kept in an HttpOnly cookie; this page never holds it.
 */
const UNLOCK_TEXT: Record<UnlockNote, Child> = {
  refused: (
    <>
      <strong>That key was not accepted</strong> (unknown or revoked). Nothing was kept.
    </>
  ),
  needed: (
    <>
      <strong>Nothing was changed:</strong> unlock the controls with an API key first.
    </>
  ),
  'not-admin': (
    <>
      <strong>Nothing was changed:</strong> the key this browser unlocked with lacks the admin scope.
    </>
  ),
}

function UnlockNoteLine({ note }: { note: UnlockNote | null }) {
  return note ? (
    <p role="alert" data-unlock={note}>
      {UNLOCK_TEXT[note]}
    </p>
  ) : null
}

function KeyBanner({ viewer, here, note }: { viewer: string | null; here: string; note: UnlockNote | null }) {
  if (viewer) {
    return (
      <div class="banner banner-key" role="note" data-banner="unlocked">
        <UnlockNoteLine note={note} />
        <p>
          Controls unlocked with the API key <strong>{viewer}</strong>.
        </p>
        <form method="post" action="/ui/lock">
          <CsrfField />
          <button type="submit" class="button button-quiet" data-action="lock-controls">
            Lock
          </button>
        </form>
      </div>
    )
  }
  return (
    <div class="banner banner-key" role="note" data-banner="locked">
      <UnlockNoteLine note={note} />
      <form method="post" action="/ui/unlock" class="unlock-form">
        <CsrfField />
        <label for="unlock-key">
          Switching models and other changes need an API key with the admin scope.
        </label>
        <input
          id="unlock-key"
          name="key"
          type="password"
          autocomplete="off"
          required
          maxlength={256}
          placeholder="sc_…"
        />
        <input type="hidden" name="next" value={here} />
        <button type="submit" class="button" data-action="unlock-controls">
          Unlock controls
        </button>
      </form>
    </div>
  )
}
