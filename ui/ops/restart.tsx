/**
 * Restarting a service container: the question (what happens, in plain words, then the exact
 * commands from the controller's dry run), and the answer once it ran (how long, health after).
 * Only "Yes" restarts anything; it posts `confirm: true` through the dashboard's action path.
 */

import { ConfirmForm, DismissLink } from '../components/confirm-actions.tsx'
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
        <ConfirmForm
          action={OPS_PATHS.restart}
          target="#ops-restart-confirm"
          busy
          fields={{ service: plan.service, confirm: 'true' }}
          tone="primary"
          name="confirm-restart"
          label={`Yes, restart ${plan.service}`}
        />
        <DismissLink
          href={OPS_PATHS.page}
          fragment={OPS_PATHS.restartConfirm}
          target="#ops-restart-confirm"
          label="Not now"
        />
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
