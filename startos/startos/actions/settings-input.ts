/**
 * The settings actions ("Configure upstreams", "Configure alerts") write the same file the
 * dashboard's Settings page does, `app_settings.json` in the volume, by the same rules
 * (shared/settings: each value checked with its knob's schema, blank removes the key so the
 * default applies, unknown keys kept, written whole and atomically). Pure: no SDK import.
 */
import {
  readSettingsFile,
  SETTINGS_FILE,
  settingsFilePath,
  writeSettingsFile,
} from '../../../shared/settings/file.ts'
import { restartNeededIn } from '../../../shared/settings/knob.ts'
import { type KnobName, knobNamed } from '../../../shared/settings/registry.ts'
import { planUpdate } from '../../../shared/settings/view.ts'
import type { ServiceName } from '../../../shared/topology.ts'
import { ActionRefusal } from './result.ts'

export const UPSTREAM_KEYS = [
  'VLLM_PORT',
  'VLLM_CONTAINER',
  'PARAKEET_URL',
  'KOKORO_URL',
  'EMBED_URL',
  'QDRANT_URL',
  'QDRANT_API_KEY',
] as const satisfies readonly KnobName[]

export const ALERT_KEYS = [
  'ALERT_WEBHOOK_URL',
  'ALERT_WEBHOOK_SECRET',
  'ALERT_NTFY_URL',
  'ALERT_NTFY_TOKEN',
  'ALERT_DEBOUNCE_S',
] as const satisfies readonly KnobName[]

/** The knobs these forms ask for as numbers; the rest are text. */
export const NUMBER_KEYS: ReadonlySet<KnobName> = new Set(['VLLM_PORT', 'ALERT_DEBOUNCE_S'])

export type SettingsInput = Record<string, string | number | null | undefined>

export const settingsPath = (dataDir: string) => settingsFilePath({ DATA_DIR: dataDir })

/** A knob as the form shows it: its label, help and the default that applies when left blank. */
export function knobField(name: KnobName) {
  const knob = knobNamed(name)
  if (!knob) throw new Error(`${name} is not a setting`)
  const fallback = knob.secret ? undefined : knob.schema.safeParse(undefined).data
  const shownDefault = typeof fallback === 'number' || typeof fallback === 'string' ? String(fallback) : null
  return { label: knob.label, help: knob.help, secret: knob.secret, shownDefault }
}

/** The form prefilled with what the file holds now (a value its knob refuses is left out). */
export async function settingsPrefill(
  dataDir: string,
  keys: readonly KnobName[],
): Promise<Record<string, string | number | null>> {
  const { values } = await readSettingsFile(settingsPath(dataDir))
  const prefill: Record<string, string | number | null> = {}
  for (const key of keys) {
    const text = values[key]?.trim()
    const valid = text !== undefined && text !== '' && knobNamed(key)?.schema.safeParse(text).success
    prefill[key] = !valid ? null : NUMBER_KEYS.has(key) ? Number(text) : text
  }
  return prefill
}

/** The file as it is, to change some keys of; refuses to overwrite one that cannot be read as settings. */
export async function readForUpdate(file: string): Promise<Record<string, unknown>> {
  const read = await readSettingsFile(file)
  if (read.raw === null)
    throw new ActionRefusal(
      `The settings file cannot be used (${read.problem}). Fix it on the dashboard's Settings page or delete ${SETTINGS_FILE}, then try again.`,
    )
  return read.raw
}

export interface SettingsSaved {
  file: string
  changed: string[]
  /** The services that read a changed value at start only. */
  restartIn: ServiceName[]
}

/** Checks every value with its knob and writes the file once; refuses, in sentences, a value a knob refuses. */
export async function saveSettings(
  dataDir: string,
  keys: readonly KnobName[],
  input: SettingsInput,
): Promise<SettingsSaved> {
  const file = settingsPath(dataDir)
  const raw = await readForUpdate(file)
  const values = Object.fromEntries(keys.map((k) => [k, input[k] ?? null]))
  const plan = planUpdate({}, raw, values)
  if (!plan.ok) {
    const sentences = plan.issues.map((issue) => {
      const name = issue.field.replace(/^values\./, '')
      const hint = name.endsWith('_URL') ? ' (write it as http://host:port or https://…)' : ''
      return `${knobNamed(name)?.label ?? name}: ${issue.message}${hint}.`
    })
    throw new ActionRefusal(sentences.join(' '))
  }
  if (plan.changed.length > 0) await writeSettingsFile(file, plan.raw)
  const restartIn = new Set<ServiceName>()
  for (const name of plan.changed) for (const s of restartNeededIn(knobNamed(name)!)) restartIn.add(s)
  return { file, changed: plan.changed, restartIn: [...restartIn] }
}

/** What the owner is told after a save. */
export function savedMessage(saved: SettingsSaved, restarting: boolean): string {
  if (saved.changed.length === 0) return 'Nothing changed.'
  const labels = saved.changed.map((n) => knobNamed(n)?.label ?? n).join(', ')
  if (saved.restartIn.length === 0) return `Saved: ${labels}. The services use the new values at once.`
  const who = saved.restartIn.join(', ')
  return restarting
    ? `Saved: ${labels}. Spark Control is restarting so that ${who} read the new values.`
    : `Saved: ${labels}. ${who} read the new values at the next start.`
}
