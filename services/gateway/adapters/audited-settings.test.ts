import { describe, expect, it } from 'vitest'
import { memoryAuditRecorder } from '../../../shared/audit/recorder.ts'
import { AppError } from '../../../shared/errors.ts'
import { auditedSettings } from './audited-settings.ts'
import type { SettingsStore } from './settings-store.ts'

const store = (fail?: AppError): SettingsStore => ({
  read: async () => ({}) as Awaited<ReturnType<SettingsStore['read']>>,
  update: async () => {
    if (fail) throw fail
    return {} as Awaited<ReturnType<SettingsStore['update']>>
  },
})

describe('settings saves, audited', () => {
  it('records the key names and the actor, never a value', async () => {
    const audit = memoryAuditRecorder()
    await auditedSettings(store(), audit).update(
      { SWAP_WEBHOOK_SECRET: 's3cr3t-value', SPEECH_LANES: '2' },
      'owner',
    )
    expect(audit.entries).toEqual([
      {
        actor: 'owner',
        action: 'settings.update',
        target: 'SPEECH_LANES,SWAP_WEBHOOK_SECRET',
        outcome: 'ok',
      },
    ])
    expect(JSON.stringify(audit.entries)).not.toContain('s3cr3t')
  })

  it('records a refused save and still throws it', async () => {
    const audit = memoryAuditRecorder()
    const refusal = new AppError(409, 'conflict', 'set in the environment')
    await expect(auditedSettings(store(refusal), audit).update({ A: 'x' }, 'api')).rejects.toBe(refusal)
    expect(audit.entries).toEqual([
      expect.objectContaining({ outcome: 'refused', detail: 'HTTP 409', target: 'A' }),
    ])
  })
})
