/**
 * The alert channels. The webhook POSTs the MonitorAlert JSON with the project's webhook headers
 * and signature (shared/webhook.ts, the same scheme as the swap webhook). ntfy gets a plain-text
 * publish to the topic URL, as its publish API reads it: `Title`, `Priority` (`high`/`default`),
 * `Tags` (comma-separated emoji short codes) and, for a protected topic, `Authorization: Bearer
 * <token>`. Only each receiver's origin is ever logged: a webhook path or an ntfy topic is a secret.
 */
import type { Dispatcher } from 'undici'
import type { Secret } from '../../../shared/secret.ts'
import { postOnce, signBody } from '../../../shared/webhook.ts'
import type { MonitorConfig } from '../config.ts'
import type { AlertSender } from '../domain/alerts/ports.ts'
import { notice } from '../domain/alerts/text.ts'

export interface SenderOptions {
  url: string
  timeoutMs: number
  dispatcher?: Dispatcher
}

export function webhookSender(options: SenderOptions & { secret?: Secret }): AlertSender {
  return {
    name: 'webhook',
    receiver: new URL(options.url).origin,
    send(alert, delivery, signal) {
      const body = JSON.stringify(alert)
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'user-agent': 'spark-control-monitor-alert',
        'x-spark-event': alert.event,
        'x-spark-delivery': delivery,
      }
      if (options.secret) headers['x-spark-signature'] = signBody(body, options.secret.reveal())
      return postOnce(options.url, {
        body,
        headers,
        timeoutMs: options.timeoutMs,
        signal,
        dispatcher: options.dispatcher,
      })
    },
  }
}

/** HTTP headers are Latin-1; ntfy reads RFC 2047 encoded words, so a title with other characters goes as one. */
export function headerText(text: string): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]+/g, ' ')
  return /^[\u0020-\u007e]*$/.test(clean) ? clean : `=?UTF-8?B?${Buffer.from(clean).toString('base64')}?=`
}

export function ntfySender(options: SenderOptions & { token?: Secret }): AlertSender {
  return {
    name: 'ntfy',
    receiver: new URL(options.url).origin,
    send(alert, _delivery, signal) {
      const n = notice(alert)
      const headers: Record<string, string> = {
        'content-type': 'text/plain; charset=utf-8',
        'user-agent': 'spark-control-monitor-alert',
        title: headerText(n.title),
        priority: n.priority,
        tags: n.tags.join(','),
      }
      if (options.token) headers.authorization = `Bearer ${options.token.reveal()}`
      return postOnce(options.url, {
        body: n.body,
        headers,
        timeoutMs: options.timeoutMs,
        signal,
        dispatcher: options.dispatcher,
      })
    },
  }
}

/** The channels the configuration turns on (none when neither URL is set). */
export function alertSenders(
  config: Pick<
    MonitorConfig,
    'ALERT_WEBHOOK_URL' | 'ALERT_WEBHOOK_SECRET' | 'ALERT_NTFY_URL' | 'ALERT_NTFY_TOKEN' | 'ALERT_TIMEOUT_MS'
  >,
): AlertSender[] {
  const senders: AlertSender[] = []
  const timeoutMs = config.ALERT_TIMEOUT_MS
  if (config.ALERT_WEBHOOK_URL)
    senders.push(
      webhookSender({ url: config.ALERT_WEBHOOK_URL, secret: config.ALERT_WEBHOOK_SECRET, timeoutMs }),
    )
  if (config.ALERT_NTFY_URL)
    senders.push(ntfySender({ url: config.ALERT_NTFY_URL, token: config.ALERT_NTFY_TOKEN, timeoutMs }))
  return senders
}
