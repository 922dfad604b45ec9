/**
 * Shown while someone (an app, a script, a person) has reserved swaps: who, until when, and a way
 * for a person at the dashboard to take the reservation back. Releasing is audited as forced.
 */
import { SWAP_PATHS } from './paths.ts'
import type { LockView } from './source.ts'

export function LockBanner({ lock }: { lock: LockView | null }) {
  if (!lock?.held) return <div id="lock-banner" />
  return (
    <div id="lock-banner" class="notice notice-warn" role="note" data-lock-held="true">
      <p>
        Swaps are reserved by <strong>{lock.holder}</strong> until <time datetime={lock.expires_at}>{lock.expires_at}</time>
        {lock.note ? ` — ${lock.note}` : ''}. Switches without the holder's token are refused, this page's too.
      </p>
      <form method="post" action={SWAP_PATHS.releaseLock} hx-post={SWAP_PATHS.releaseLock} hx-target="#lock-banner" hx-swap="outerHTML">
        <button type="submit" class="button button-quiet" data-action="release-lock">
          Release the reservation
        </button>
      </form>
    </div>
  )
}
