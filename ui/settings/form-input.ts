/**
 * What the Settings form asks for, from what it sent and the settings as they are: only what the
 * person changed. A text field emptied removes the setting (the default applies again); a secret's
 * empty field keeps it (its value is never sent to the page), and its "remove" box removes it.
 * Settings the environment sets are not in the form and never in the answer.
 */
import { CLEAR_PREFIX } from './paths.ts'
import type { SettingView } from './source.ts'

export function formChanges(form: Record<string, unknown>, settings: readonly SettingView[]) {
  const values: Record<string, string | null> = {}
  for (const s of settings) {
    if (!s.editable) continue
    const sent = typeof form[s.name] === 'string' ? (form[s.name] as string).trim() : undefined
    if (s.secret) {
      if (form[`${CLEAR_PREFIX}${s.name}`] !== undefined && s.source === 'file') values[s.name] = null
      else if (sent) values[s.name] = sent
      continue
    }
    if (sent === undefined) continue
    const saved = s.source === 'file' ? (s.value ?? '') : ''
    if (sent === saved) continue
    values[s.name] = sent === '' ? null : sent
  }
  return values
}
