/**
 * The settings file in a running service: read once at start (under the environment), then
 * followed; each change re-validates the live knobs and tells the service's listeners. A file that
 * cannot be used is a warning and changes nothing, so a bad edit never reverts what is in force.
 */
import type { EnvSource } from '../config.ts'
import type { Logger } from '../logger.ts'
import type { ServiceName } from '../topology.ts'
import { readSettingsFile, type SettingsRead, settingsFilePath } from './file.ts'
import { createLiveSettings, type LiveSettingsControl } from './live.ts'
import { watchSettingsFile } from './watch.ts'

export interface FollowedSettings extends Omit<LiveSettingsControl, 'apply'> {
  /** Reads the file now rather than at the watcher's next event; resolves once applied. */
  reload(): Promise<void>
  close(): void
}

/** What a service's kit carries: the live knobs, their listeners, and a reload for a writer in the same process. */
export type ServiceSettings = Omit<FollowedSettings, 'close'>

/** The file's path for this environment and its contents now. */
export async function openSettingsFile(env: EnvSource): Promise<{ path: string; read: SettingsRead }> {
  const path = settingsFilePath(env)
  return { path, read: await readSettingsFile(path) }
}

export function followSettings(options: {
  service: string
  env: EnvSource
  path: string
  read: SettingsRead
  logger: Logger
  pollMs?: number
}): FollowedSettings {
  const log = options.logger.child({ component: 'settings' })
  const warn = (message: string) => log.warn(message)
  const control = createLiveSettings({
    service: options.service as ServiceName,
    env: options.env,
    file: options.read.values,
    warn,
  })
  let lastProblem = options.read.problem
  const watch = watchSettingsFile({
    path: options.path,
    pollMs: options.pollMs,
    onProblem: warn,
    onChange(read) {
      if (read.problem && read.problem !== lastProblem) warn(read.problem)
      lastProblem = read.problem
      if (read.raw === null) return
      const changed = control.apply(read.values)
      if (changed.length) log.info({ settings: changed }, 'settings changed; applied without a restart')
    },
  })
  return { get: control.get, onChange: control.onChange, reload: watch.check, close: watch.close }
}
