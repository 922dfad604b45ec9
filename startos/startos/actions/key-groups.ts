/**
 * Which route groups need an API key: `API_KEY_GROUPS`, read by the gateway at start (blank: no
 * route needs one, docs/SECURITY.md). On StartOS the owner has no environment to set it in, so
 * "Manage API keys" keeps it in app_settings.json, which every service lays under its environment
 * at start (shared/settings/merge.ts). It is not a knob of the Settings page on purpose: the
 * dashboard cannot open routes the owner closed. Pure: no SDK import.
 */
import { apiKeyConfig } from '../../../shared/auth/config.ts'
import type { Scope } from '../../../shared/auth/keys.ts'
import { readSettingsFile, writeSettingsFile } from '../../../shared/settings/file.ts'
import { ActionRefusal } from './result.ts'
import { readForUpdate, settingsPath } from './settings-input.ts'

export const KEY_GROUPS_SETTING = 'API_KEY_GROUPS'

const parseGroups = (text: string) => apiKeyConfig().API_KEY_GROUPS.safeParse(text)

/** The groups in force from the next start; none when unset or not valid (the gateway would refuse it too). */
export async function readKeyGroups(dataDir: string): Promise<Scope[]> {
  const { values } = await readSettingsFile(settingsPath(dataDir))
  const parsed = parseGroups(values[KEY_GROUPS_SETTING] ?? '')
  return parsed.success ? parsed.data : []
}

export interface KeyGroupsSaved {
  file: string
  groups: Scope[]
  changed: boolean
}

export async function writeKeyGroups(dataDir: string, groups: readonly string[]): Promise<KeyGroupsSaved> {
  const file = settingsPath(dataDir)
  const parsed = parseGroups(groups.join(','))
  if (!parsed.success)
    throw new ActionRefusal(`Not saved: ${parsed.error.issues[0]?.message ?? 'unknown group'}.`)
  const current = await readForUpdate(file)
  const text = parsed.data.join(',')
  const before = typeof current[KEY_GROUPS_SETTING] === 'string' ? current[KEY_GROUPS_SETTING] : undefined
  const changed = (before ?? '') !== text
  if (changed) {
    const raw = { ...current }
    if (text) raw[KEY_GROUPS_SETTING] = text
    else delete raw[KEY_GROUPS_SETTING]
    await writeSettingsFile(file, raw)
  }
  return { file, groups: parsed.data, changed }
}

export const keyGroupsSentence = (groups: readonly Scope[]): string =>
  groups.length === 0
    ? 'No route needs a key: keys are off.'
    : `Requests to these route groups need a key: ${groups.join(', ')}.`
