/**
 * Restarting a service container: the question (what happens, in plain words, then the exact
 * commands from the controller's dry run), and the answer once it ran (how long, health after).
 * Only "Yes" restarts anything; it posts `confirm: true` through the dashboard's action path.
 */

import { CsrfField } from '../components/csrf.tsx'
import { type Notice, NoticeBox } from '../components/notice.tsx'
import { Commands } from './commands.tsx'
import { OPS_PATHS } from './paths.ts'
import type { RestartAnswer } from './source.ts'
import { restartPlanWords, restartResultWords } from './words.ts'

export function RestartConfirm({ plan }: { plan: RestartAnswer }) {
  return (
    <div
      class="confirm"
      role="dialog"
      aria-labelledby="restart-confirm-h"
      data-confirm-restart={plan.service}
    >
      <h3 id="restart-confirm-h">
        Restart {plan.service} on {plan.node}?
      </h3>
      <ul>
        {restartPlanWords(plan).map((line) => (
          <li>{line}</li>
        ))}
      </ul>
      <Commands commands={plan.commands} open />
      <div class="confirm-actions">
        <form
          method="post"
          action={OPS_PATHS.restart}
          hx-post={OPS_PATHS.restart}
          hx-target="#ops-restart-confirm"
          hx-swap="innerHTML"
          hx-disabled-elt="find button"
        >
          <CsrfField />
          <input type="hidden" name="service" value={plan.service} />
          <input type="hidden" name="confirm" value="true" />
          <button type="submit" class="button button-primary" data-action="confirm-restart">
            Yes, restart {plan.service}
          </button>
        </form>
        <a
          class="button button-quiet"
          href={OPS_PATHS.page}
          hx-get={OPS_PATHS.restartConfirm}
          hx-target="#ops-restart-confirm"
          data-action="dismiss"
        >
          Not now
        </a>
      </div>
    </div>
  )
}

/** The restart as a notice: the page without JavaScript shows it once, htmx swaps it in. */
export function restartNotice(done: RestartAnswer): Notice {
  const { tone, text } = restartResultWords(done)
  return { tone: tone === 'good' ? 'good' : tone === 'warn' ? 'warn' : 'bad', text }
}

export function RestartResult({ notice, service }: { notice: Notice; service: string }) {
  return (
    <div data-restart-result={service} data-tone={notice.tone}>
      <NoticeBox notice={notice} />
    </div>
  )
}
