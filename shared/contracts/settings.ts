/**
 * `GET /api/settings` and `PUT /api/settings` (the gateway): the optional knobs the dashboard's
 * Settings page edits, kept in `<DATA_DIR>/app_settings.json`. A secret's value is never sent, only
 * whether it is set; a knob set in the environment is shown read-only (the environment wins).
 */
import { z } from '@hono/zod-openapi'
import { SERVICE_NAMES } from '../topology.ts'

const serviceName = z.enum(SERVICE_NAMES)

export const settingView = z
  .object({
    name: z.string().openapi({ description: 'The environment variable (and settings file key).' }),
    label: z.string(),
    help: z.string(),
    /** The service that owns it; the page groups by it. */
    service: serviceName,
    services: z.array(serviceName).openapi({ description: 'Every service that reads it.' }),
    secret: z.boolean(),
    value: z.string().nullable().openapi({
      description:
        'The value in force as text (a list comma-separated); `set` or `unset` for a secret; null when unset without a default.',
    }),
    default: z
      .string()
      .nullable()
      .openapi({ description: 'The default as text; null for a secret or none.' }),
    source: z.enum(['env', 'file', 'default']),
    applies: z.enum(['live', 'restart']).openapi({
      description:
        '`live`: a change applies at once in every service that reads it; else after their restart.',
    }),
    live_in: z.array(serviceName),
    restart_needed_in: z.array(serviceName),
    editable: z.boolean().openapi({ description: 'False when the environment sets it: change it there.' }),
  })
  .openapi('Setting')

export const settingsBody = z
  .object({
    file: z.string().openapi({ description: 'The settings file, in the data folder.' }),
    problem: z.string().nullable().openapi({ description: 'Why the file (or a key of it) is ignored.' }),
    settings: z.array(settingView),
  })
  .openapi('Settings')

export const settingsUpdateBody = z
  .object({
    values: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]).nullable())
      .openapi({ description: '`NAME: value` to save, `NAME: null` to remove (the default applies again).' }),
  })
  .openapi('SettingsUpdate')

export const settingsUpdateAnswer = settingsBody
  .extend({
    changed: z.array(z.string()),
    applied_now: z.array(z.string()).openapi({ description: 'Changed knobs in force already everywhere.' }),
    restart_needed: z
      .array(z.object({ service: serviceName, settings: z.array(z.string()) }))
      .openapi({ description: 'Per service, the changed knobs that reach it only after its restart.' }),
  })
  .openapi('SettingsUpdateAnswer')

export type SettingView = z.infer<typeof settingView>
export type SettingsBody = z.infer<typeof settingsBody>
export type SettingsUpdateAnswer = z.infer<typeof settingsUpdateAnswer>
