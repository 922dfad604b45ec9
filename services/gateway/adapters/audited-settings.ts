/**
 * The settings store with each save audited as `settings.update`: the names of the keys sent,
 * never their values (some are secrets: a webhook secret, an API token). Saves through
 * `PUT /api/settings` and through the dashboard's Settings page both go through here.
 */
import type { AuditRecorder } from '../../../shared/audit/recorder.ts'
import { AppError } from '../../../shared/errors.ts'
import type { SettingsStore } from './settings-store.ts'

const MAX_KEYS_SHOWN = 40

export function auditedSettings(store: SettingsStore, audit: AuditRecorder): SettingsStore {
  return {
    ...store,
    async update(values, actor) {
      const keys = Object.keys(values).sort()
      const target = keys.slice(0, MAX_KEYS_SHOWN).join(',') || null
      try {
        const answer = await store.update(values, actor)
        audit.record({ actor, action: 'settings.update', target, outcome: 'ok' })
        return answer
      } catch (err) {
        const status = err instanceof AppError ? err.status : 500
        const outcome = status < 500 ? 'refused' : 'failed'
        audit.record({ actor, action: 'settings.update', target, outcome, detail: `HTTP ${status}` })
        throw err
      }
    },
  }
}
