/**
 * The frame around every page: banners that must never be missed, navigation, and the scripts.
 * Scripts are local files (see assets.ts) and `defer`red so the page paints before they run.
 */
import type { Child } from 'hono/jsx'
import { Nav, type PageId } from './nav.tsx'

export interface Chrome {
  simulated: boolean
  /** True while the control routes take no credentials (DESIGN 9): the page says so. */
  controlsOpen: boolean
  /** With keys on: the name of the key this browser unlocked the controls with, or null. */
  viewer?: string | null
  /** This page's path, to come back to after unlocking. */
  here?: string
  /** The unlock form was just sent a key the gateway does not know. */
  unlockRefused?: boolean
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
          {chrome.controlsOpen ? <OpenControlsBanner /> : <KeyBanner viewer={chrome.viewer ?? null} here={chrome.here ?? '/'} refused={chrome.unlockRefused ?? false} />}
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
function KeyBanner({ viewer, here, refused }: { viewer: string | null; here: string; refused: boolean }) {
  if (viewer) {
    return (
      <div class="banner banner-key" role="note" data-banner="unlocked">
        <p>
          Controls unlocked with the API key <strong>{viewer}</strong>.
        </p>
        <form method="post" action="/ui/lock">
          <button type="submit" class="button button-quiet" data-action="lock-controls">
            Lock
          </button>
        </form>
      </div>
    )
  }
  return (
    <div class="banner banner-key" role="note" data-banner="locked">
      {refused ? (
        <p role="alert" data-unlock="refused">
          <strong>That key was not accepted</strong> (unknown or revoked). Nothing was kept.
        </p>
      ) : null}
      <form method="post" action="/ui/unlock" class="unlock-form">
        <label for="unlock-key">Switching models and other changes need an API key with the admin scope.</label>
        <input id="unlock-key" name="key" type="password" autocomplete="off" required maxlength={256} placeholder="sc_…" />
        <input type="hidden" name="next" value={here} />
        <button type="submit" class="button" data-action="unlock-controls">
          Unlock controls
        </button>
      </form>
    </div>
  )
}
