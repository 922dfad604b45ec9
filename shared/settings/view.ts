/**
 * What the Settings page and `/api/settings` show, and what an update comes to — pure: the
 * environment and a read of the file in, the contract's shapes out. Secrets never leave as values.
 */
import type { EnvSource } from '../config.ts'
import type { SettingsBody, SettingView } from '../contracts/settings.ts'
import type { FieldIssue } from '../errors.ts'
import { Secret } from '../secret.ts'
import type { ServiceName } from '../topology.ts'
import type { SettingsRead } from './file.ts'
import { type Knob, restartNeededIn } from './knob.ts'
import { setInEnv, sourceOf } from './merge.ts'
import { KNOB_LIST, knobNamed } from './registry.ts'

/** A parsed value as text, the way the environment would hold it. */
function asText(value: unknown): string | null {
  if (value === undefined || value === null) return null
  if (value instanceof Secret) return null
  if (value instanceof Set || Array.isArray(value)) return [...value].join(',')
  return String(value)
}

export function settingOf(
  knob: Knob,
  env: EnvSource,
  read: SettingsRead,
): { view: SettingView; issue?: string } {
  let source = sourceOf(knob.name, env, read.values)
  let issue: string | undefined
  if (source === 'file') {
    const parsed = knob.schema.safeParse(read.values[knob.name])
    if (!parsed.success) {
      issue = `${knob.name}: ${parsed.error.issues[0]?.message ?? 'not valid'} (the default applies)`
      source = 'default'
    }
  }
  const raw =
    source === 'env' ? env[knob.name]!.trim() : source === 'file' ? read.values[knob.name]!.trim() : null
  const fallback = knob.secret ? null : asText(knob.schema.safeParse(undefined).data)
  const restart = restartNeededIn(knob)
  const view: SettingView = {
    name: knob.name,
    label: knob.label,
    help: knob.help,
    service: knob.services[0]!,
    services: [...knob.services],
    secret: knob.secret,
    value: knob.secret ? (raw === null ? 'unset' : 'set') : (raw ?? fallback),
    default: fallback,
    source,
    applies: restart.length === 0 ? 'live' : 'restart',
    live_in: [...knob.liveIn],
    restart_needed_in: restart,
    editable: source !== 'env',
  }
  return { view, issue }
}

export function describeSettings(env: EnvSource, read: SettingsRead, file: string): SettingsBody {
  const described = KNOB_LIST.map((k) => settingOf(k, env, read))
  const problems = [read.problem, ...described.map((d) => d.issue)].filter(Boolean)
  return {
    file,
    problem: problems.length ? problems.join('; ') : null,
    settings: described.map((d) => d.view),
  }
}

export type UpdateValue = string | number | boolean | null

export type UpdatePlan =
  | { ok: true; raw: Record<string, unknown>; changed: string[] }
  | { ok: false; issues: FieldIssue[]; envSet: string[] }

/**
 * The file after `values` (null or blank: remove the key, so the default applies again). Unknown
 * keys already in the file are kept untouched; a key the page does not know cannot be written.
 */
export function planUpdate(
  env: EnvSource,
  current: Record<string, unknown>,
  values: Record<string, UpdateValue>,
): UpdatePlan {
  const raw = { ...current }
  const changed: string[] = []
  const issues: FieldIssue[] = []
  const envSet: string[] = []
  for (const [name, value] of Object.entries(values)) {
    const field = `values.${name}`
    const knob = knobNamed(name)
    if (!knob) {
      issues.push({ field, message: 'not a setting this page can change', location: 'body' })
      continue
    }
    if (setInEnv(env, name)) {
      envSet.push(name)
      continue
    }
    const text = value === null ? '' : String(value).trim()
    if (text === '') {
      if (name in raw) changed.push(name)
      delete raw[name]
      continue
    }
    const parsed = knob.schema.safeParse(text)
    if (!parsed.success) {
      issues.push({ field, message: parsed.error.issues[0]?.message ?? 'not valid', location: 'body' })
      continue
    }
    if (raw[name] === undefined || String(raw[name]) !== text) changed.push(name)
    raw[name] = text
  }
  if (issues.length || envSet.length) return { ok: false, issues, envSet }
  return { ok: true, raw, changed }
}

/** Of the changed knobs: those in force everywhere already, and per service those that wait for its restart. */
export function applyReport(changed: readonly string[]) {
  const appliedNow: string[] = []
  const restart = new Map<ServiceName, string[]>()
  for (const name of changed) {
    const knob = knobNamed(name)
    if (!knob) continue
    const waiting = restartNeededIn(knob)
    if (waiting.length === 0) appliedNow.push(name)
    for (const service of waiting) restart.set(service, [...(restart.get(service) ?? []), name])
  }
  return {
    applied_now: appliedNow,
    restart_needed: [...restart].map(([service, settings]) => ({ service, settings })),
  }
}
