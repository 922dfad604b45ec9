/** What a save came to, in words: what is in force now, and which service must restart for the rest. */
import { AppError } from '../../shared/errors.ts'
import type { Notice } from '../components/notice.tsx'
import type { SettingsUpdateAnswer, SettingView } from './source.ts'

const labelOf = (answer: SettingsUpdateAnswer, name: string) =>
  answer.settings.find((s) => s.name === name)?.label ?? name

export function savedNotice(answer: SettingsUpdateAnswer): Notice {
  if (answer.changed.length === 0)
    return { tone: 'good', text: 'Nothing changed: the settings are as they were.' }
  const items = answer.changed.map((name) => {
    const s = answer.settings.find((v) => v.name === name)
    return `${labelOf(answer, name)}: ${s ? whenItApplies(s) : 'saved'}`
  })
  const waiting = answer.restart_needed.map((r) => r.service)
  const text = waiting.length
    ? `Saved. Some changes apply after a restart of ${waiting.join(', ')}.`
    : 'Saved. Every change is in force now.'
  return { tone: waiting.length ? 'warn' : 'good', text, items }
}

export function whenItApplies(s: SettingView): string {
  if (s.applies === 'live') return 'in force now'
  const now = s.live_in.length ? `in force now in ${s.live_in.join(', ')}; ` : ''
  return `${now}after a restart of ${s.restart_needed_in.join(', ')}`
}

export function refusedNotice(err: unknown): Notice {
  if (!(err instanceof AppError))
    return { tone: 'bad', text: 'The settings could not be saved; nothing changed.' }
  const items = err.issues?.map((i) => `${i.field.replace(/^values\./, '')}: ${i.message}`)
  const text =
    err.status === 422
      ? 'Not saved: some values are not valid. Nothing changed.'
      : `Not saved: ${err.message}`
  return { tone: 'bad', text, items }
}
