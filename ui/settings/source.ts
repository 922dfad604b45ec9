/**
 * What the Settings page reads and saves through (the gateway's settings store, in process). A
 * refusal comes as the AppError it is: 409 (set in the environment, unusable file) or 422 (a value
 * its setting does not take, with the failing fields).
 */
import type { SettingsBody, SettingsUpdateAnswer, SettingView } from '../../shared/contracts/settings.ts'

export type { SettingsBody, SettingsUpdateAnswer, SettingView }

export interface SettingsSource {
  read(): Promise<SettingsBody>
  /** `NAME: value` to save, `NAME: null` to remove, as `actor`. */
  update(values: Record<string, string | null>, actor: string): Promise<SettingsUpdateAnswer>
}
