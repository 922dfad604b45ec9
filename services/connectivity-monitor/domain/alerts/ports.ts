/** What the alerter sends through: one sender per channel (adapters/alert-senders.ts: webhook, ntfy). */
import type { MonitorAlert } from '../../../../shared/contracts/connectivity-monitor.ts'
import type { PostVerdict } from '../../../../shared/webhook.ts'

export type { MonitorAlert, PostVerdict }

export interface AlertSender {
  /** `webhook` or `ntfy`: the channel, for logs. */
  readonly name: string
  /** Where it posts, as it may be logged: the origin only (webhook and topic paths can be secrets). */
  readonly receiver: string
  /** One try within the sender's timeout; never throws. `delivery` is the same on every retry. */
  send(alert: MonitorAlert, delivery: string, signal: AbortSignal): Promise<PostVerdict>
}
