/**
 * The webhook outbox: every event is written here before anyone tries to send it, so deliveries
 * survive a restart. Bounded by count (oldest rows dropped first, delivered or not): a receiver
 * that is down for days must not grow the database without end.
 */
import type { Database } from '../../../../shared/sqlite.ts'
import type { OutboxItem, WebhookOutbox } from '../../domain/coordination/ports.ts'
import { clip, pruneToNewest } from './prune.ts'

interface Row {
  id: number
  event: string
  body: string
  attempts: number
  next_attempt_at_ms: number
}

const toItem = (row: Row): OutboxItem => ({
  id: row.id,
  event: row.event,
  body: row.body,
  attempts: row.attempts,
  nextAttemptAtMs: row.next_attempt_at_ms,
})

export function webhookOutbox(db: Database, maxRows: number): WebhookOutbox {
  return {
    enqueue(event, body, nowMs) {
      return db.transaction(() => {
        const { lastInsertRowid } = db.run(
          'INSERT INTO webhook_outbox (event, body, created_at_ms, next_attempt_at_ms) VALUES (?, ?, ?, ?)',
          [event, body, nowMs, nowMs],
        )
        pruneToNewest(db, 'webhook_outbox', 'id', maxRows)
        return lastInsertRowid
      })
    },
    due(nowMs, limit) {
      return db
        .all<Row>(
          `SELECT id, event, body, attempts, next_attempt_at_ms FROM webhook_outbox
           WHERE state = 'pending' AND next_attempt_at_ms <= ? ORDER BY next_attempt_at_ms, id LIMIT ?`,
          [nowMs, Math.max(0, limit)],
        )
        .map(toItem)
    },
    nextDueAtMs() {
      const row = db.get<{ t: number | null }>(
        "SELECT MIN(next_attempt_at_ms) AS t FROM webhook_outbox WHERE state = 'pending'",
      )
      return row?.t ?? null
    },
    markDelivered(id, nowMs, attempts) {
      db.run(
        "UPDATE webhook_outbox SET state = 'delivered', attempts = ?, finished_at_ms = ?, last_error = NULL WHERE id = ?",
        [attempts, nowMs, id],
      )
    },
    markRetry(id, attempts, nextAttemptAtMs, error) {
      db.run('UPDATE webhook_outbox SET attempts = ?, next_attempt_at_ms = ?, last_error = ? WHERE id = ?', [
        attempts,
        Math.round(nextAttemptAtMs),
        clip(error, 500),
        id,
      ])
    },
    markFailed(id, attempts, error) {
      db.run("UPDATE webhook_outbox SET state = 'failed', attempts = ?, last_error = ? WHERE id = ?", [
        attempts,
        clip(error, 500),
        id,
      ])
    },
  }
}
