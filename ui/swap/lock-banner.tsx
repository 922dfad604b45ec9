/**
 * Shown while someone (an app, a script, a person) has reserved swaps: who, until when, and a way
 * for a person at the dashboard to take the reservation back. Releasing is audited as forced.
 * It re-reads itself now and then, so a reservation taken or ended elsewhere shows up.
 */

import { CsrfField } from '../components/csrf.tsx'
import { clockUtc, inWords } from './format.ts'
import { SWAP_PATHS } from './paths.ts'
import type { LockView } from './source.ts'

const refresh = {
  'hx-get': SWAP_PATHS.lock,
  'hx-trigger': 'every 10s, swap-changed from:body',
  'hx-swap': 'outerHTML',
}

/** `live={false}`: refreshed by the overview's feed instead of its own timer. */
export function LockBanner({
  lock,
  now,
  live = true,
  oob = false,
}: {
  lock: LockView | null
  now: Date
  live?: boolean
  oob?: boolean
}) {
  const attrs = { ...(live ? refresh : {}), 'hx-swap-oob': oob ? 'true' : undefined }
  if (!lock?.held) return <div id="lock-banner" {...attrs} />
  const rel = inWords(lock.expires_at, now)
  return (
    <div id="lock-banner" class="notice notice-warn" role="note" data-lock-held="true" {...attrs}>
      <p>
        Swaps are reserved by <strong>{lock.holder ?? 'someone'}</strong>
        {lock.note ? ` (${lock.note})` : ''} until{' '}
        <time datetime={lock.expires_at}>{clockUtc(lock.expires_at)}</time>
        {rel ? ` (${rel})` : ''}. Until then nobody can switch the chat model without the holder's say-so,
        this page included: release the reservation, or wait for it to end.
      </p>
      <form
        method="post"
        action={SWAP_PATHS.releaseLock}
        hx-post={SWAP_PATHS.releaseLock}
        hx-target="#lock-banner"
        hx-swap="outerHTML"
      >
        <CsrfField />
        <button type="submit" class="button button-quiet" data-action="release-lock">
          Release the reservation
        </button>
      </form>
    </div>
  )
}
