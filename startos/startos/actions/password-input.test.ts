import { readFile, stat } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { verifyPassword } from '../../../shared/auth/password.ts'
import { readPasswordHash } from '../../../shared/auth/password-file.ts'
import { applyPassword, type PasswordInput, passwordMessage } from './password-input.ts'
import { ActionRefusal } from './result.ts'
import { ACTION_SAMPLES } from './samples.ts'
import { tempDataDirs } from './test-dirs.ts'

const dataDir = tempDataDirs('password-action-')
const samples = ACTION_SAMPLES.setDashboardPassword

describe('Set dashboard password', () => {
  it('writes only the hash where the gateway reads it (0600), then removes it', async () => {
    const dir = await dataDir()
    const set = await applyPassword(dir, samples.valid[0] as PasswordInput)
    expect(set).toEqual({ file: `${dir}/dashboard-password`, set: true })
    const stored = (await readFile(set.file, 'utf8')).trim()
    expect(stored).not.toContain('a long enough password')
    expect(await verifyPassword('a long enough password', stored)).toBe(true)
    expect((await stat(set.file)).mode & 0o777).toBe(0o600)
    const removed = await applyPassword(dir, samples.valid[1] as PasswordInput)
    expect(removed.set).toBe(false)
    expect(await readPasswordHash(set.file)).toBe(null)
  })

  it('refuses short and overlong passwords with a sentence and writes nothing', async () => {
    const dir = await dataDir()
    const messages: string[] = []
    for (const sample of samples.refused) {
      const err = await applyPassword(dir, sample as PasswordInput).catch((e: Error) => e)
      expect(err).toBeInstanceOf(ActionRefusal)
      messages.push((err as Error).message)
    }
    expect(messages).toEqual([
      'Not saved: the password needs at least 10 characters.',
      'Not saved: the password is longer than 1024 characters.',
    ])
    expect(await readPasswordHash(`${dir}/dashboard-password`)).toBe(null)
  })

  it('says whether Spark Control restarts to apply it', () => {
    const applied = { file: '/data/dashboard-password', set: true }
    expect(passwordMessage(applied, true)).toMatch(/is set .* Spark Control is restarting/)
    expect(passwordMessage({ ...applied, set: false }, false)).toMatch(/removed.* next starts\.$/)
  })
})
