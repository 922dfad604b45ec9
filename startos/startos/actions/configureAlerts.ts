import { sdk } from '../sdk'
import { giveToServices } from '../service-owner.ts'
import { dataDir, restartIfRunning } from './running'
import { knobValue } from './settings-form'
import { ALERT_KEYS, savedMessage, saveSettings, settingsPrefill } from './settings-input.ts'

export const configureAlertsInput = sdk.InputSpec.of({
  ALERT_WEBHOOK_URL: knobValue('ALERT_WEBHOOK_URL'),
  ALERT_WEBHOOK_SECRET: knobValue('ALERT_WEBHOOK_SECRET'),
  ALERT_NTFY_URL: knobValue('ALERT_NTFY_URL'),
  ALERT_NTFY_TOKEN: knobValue('ALERT_NTFY_TOKEN'),
  ALERT_DEBOUNCE_S: knobValue('ALERT_DEBOUNCE_S'),
})

export const configureAlerts = sdk.Action.withInput(
  'configureAlerts',
  {
    name: 'Configure alerts',
    description:
      'Where the connectivity monitor sends a message when something goes down and comes back: a webhook, an ntfy topic, or both. Blank turns a target off. Spark Control restarts to apply.',
    warning: null,
    allowedStatuses: 'any',
    group: 'Settings',
    visibility: 'enabled',
  },
  configureAlertsInput,
  async () => settingsPrefill(dataDir(), ALERT_KEYS),
  async ({ effects, input }) => {
    const saved = await saveSettings(dataDir(), ALERT_KEYS, input)
    if (saved.changed.length) await giveToServices(saved.file)
    const restarting = saved.restartIn.length > 0 && (await restartIfRunning(effects))
    return { version: '1', title: 'Alerts', message: savedMessage(saved, restarting), result: null }
  },
)
