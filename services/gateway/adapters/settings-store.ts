/**
 * The settings file as the gateway serves it: `GET /api/settings` and the dashboard read it,
 * `PUT /api/settings` and the dashboard's form write it. Writes go one at a time (read, change,
 * write whole), so two saves at once never lose each other's keys; each is logged with who saved
 * and which keys changed, never a value. After a write the gateway's own live knobs are reloaded at
 * once; the other services see the file through their watchers within moments.
 */
import type { EnvSource } from '../../../shared/config.ts'
import type { SettingsBody, SettingsUpdateAnswer } from '../../../shared/contracts/settings.ts'
import { AppError, conflict, validationFailed } from '../../../shared/errors.ts'
import type { Logger } from '../../../shared/logger.ts'
import { readSettingsFile, writeSettingsFile } from '../../../shared/settings/file.ts'
import { applyReport, describeSettings, planUpdate, type UpdateValue } from '../../../shared/settings/view.ts'

export interface SettingsStore {
  read(): Promise<SettingsBody>
  /** Saves `values` (null: remove) as `actor`; AppError 409 (set in the environment, unusable file) or 422. */
  update(values: Record<string, UpdateValue>, actor: string): Promise<SettingsUpdateAnswer>
}

export interface SettingsStoreOptions {
  path: string
  /** The process environment: a knob it sets wins over the file and cannot be changed here. */
  env: EnvSource
  logger: Logger
  /** Called after a successful write (the gateway reloads its own live knobs). */
  onSaved?: () => Promise<void>
}

export function createSettingsStore(options: SettingsStoreOptions): SettingsStore {
  const { path, env } = options
  let queue: Promise<unknown> = Promise.resolve()

  async function read(): Promise<SettingsBody> {
    return describeSettings(env, await readSettingsFile(path), path)
  }

  async function write(values: Record<string, UpdateValue>, actor: string): Promise<SettingsUpdateAnswer> {
    const current = await readSettingsFile(path)
    if (current.raw === null)
      throw conflict(`${current.problem}. Fix or remove the file, then save again: nothing was written.`)
    const plan = planUpdate(env, current.raw, values)
    if (!plan.ok) {
      if (plan.issues.length) throw validationFailed(plan.issues)
      throw new AppError(
        409,
        'set_in_environment',
        `${plan.envSet.join(', ')} ${plan.envSet.length > 1 ? 'are' : 'is'} set in the environment, which wins over the settings file; change ${plan.envSet.length > 1 ? 'them' : 'it'} there.`,
        { extra: { settings: plan.envSet } },
      )
    }
    if (plan.changed.length) {
      await writeSettingsFile(path, plan.raw)
      options.logger.info({ actor, settings: plan.changed }, 'settings saved')
      await options.onSaved?.()
    }
    return { ...(await read()), changed: plan.changed, ...applyReport(plan.changed) }
  }

  return {
    read,
    update(values, actor) {
      const next = queue.then(() => write(values, actor))
      queue = next.catch(() => undefined)
      return next
    },
  }
}
