import { sdk } from '../sdk'
import { giveToServices } from '../service-owner.ts'
import { dataDir, restartIfRunning } from './running'
import { knobValue } from './settings-form'
import { savedMessage, saveSettings, settingsPrefill, UPSTREAM_KEYS } from './settings-input.ts'

export const configureUpstreamsInput = sdk.InputSpec.of({
  VLLM_PORT: knobValue('VLLM_PORT'),
  VLLM_CONTAINER: knobValue('VLLM_CONTAINER'),
  PARAKEET_URL: knobValue('PARAKEET_URL'),
  KOKORO_URL: knobValue('KOKORO_URL'),
  EMBED_URL: knobValue('EMBED_URL'),
  QDRANT_URL: knobValue('QDRANT_URL'),
  QDRANT_API_KEY: knobValue('QDRANT_API_KEY'),
})

export const configureUpstreams = sdk.Action.withInput(
  'configureUpstreams',
  {
    name: 'Configure upstreams',
    description:
      'Where vLLM, speech, embeddings and Qdrant answer, when not on the Sparks’ usual ports. Blank uses the default. Saved in the settings file the dashboard’s Settings page edits; Spark Control restarts to apply.',
    warning: null,
    allowedStatuses: 'any',
    group: 'Settings',
    visibility: 'enabled',
  },
  configureUpstreamsInput,
  async () => settingsPrefill(dataDir(), UPSTREAM_KEYS),
  async ({ effects, input }) => {
    const saved = await saveSettings(dataDir(), UPSTREAM_KEYS, input)
    if (saved.changed.length) await giveToServices(saved.file)
    const restarting = saved.restartIn.length > 0 && (await restartIfRunning(effects))
    return { version: '1', title: 'Upstreams', message: savedMessage(saved, restarting), result: null }
  },
)
