import type { SCOPES } from '../../../shared/auth/keys.ts'
import { KEY_NAME_MAX } from '../../../shared/auth/store.ts'
import { SAFE_NAME, safeNameRule } from '../../../shared/names.ts'
import { sdk } from '../sdk'
import { giveToServices } from '../service-owner.ts'
import { manageApiKeys as runManageApiKeys } from './api-keys-input.ts'
import { readKeyGroups } from './key-groups.ts'
import { dataDir, restartIfRunning } from './running'

const { InputSpec, Value, Variants } = sdk

const SCOPE_LABELS: Record<(typeof SCOPES)[number], string> = {
  chat: 'chat — /v1/chat/completions, /v1/completions',
  audio: 'audio — transcription and speech',
  search: 'search — embeddings, rerank, search',
  redaction: 'redaction — /scrub, /rehydrate, the scrub-proxy',
  admin: 'admin — every change to the cluster (model switches, settings, …)',
}

const keyName = (description: string) =>
  Value.text({
    name: 'Key name',
    description,
    required: true,
    default: null,
    placeholder: 'transcript-app',
    maxLength: KEY_NAME_MAX,
    patterns: [{ regex: SAFE_NAME.source, description: safeNameRule(KEY_NAME_MAX) }],
  })

export const manageApiKeysInput = InputSpec.of({
  operation: Value.union({
    name: 'What to do',
    default: 'list',
    variants: Variants.of({
      list: { name: 'List the keys', spec: InputSpec.of({}) },
      add: {
        name: 'Add a key',
        spec: InputSpec.of({
          name: keyName('Who or what uses the key; the audit log names requests by it.'),
          scopes: Value.multiselect({
            name: 'Scopes',
            description: 'The route groups the key opens.',
            default: ['chat'],
            values: SCOPE_LABELS,
            minLength: 1,
          }),
        }),
      },
      revoke: {
        name: 'Revoke a key',
        spec: InputSpec.of({ name: keyName('The name of the key to revoke.') }),
      },
      require: {
        name: 'Choose which routes need a key',
        spec: InputSpec.of({
          groups: Value.dynamicMultiselect(async () => ({
            name: 'Route groups that need a key',
            description:
              'None selected: keys are off and every route is open on your network. "admin" alone is the usual first step: apps keep working, changing the cluster needs a key. Spark Control restarts to apply.',
            // Shown as they are now, so saving them unchanged changes nothing.
            default: await readKeyGroups(dataDir()),
            values: SCOPE_LABELS,
          })),
        }),
      },
    }),
  }),
})

export const manageApiKeys = sdk.Action.withInput(
  'manageApiKeys',
  {
    name: 'Manage API keys',
    description:
      'Add, list or revoke the keys apps use to call Spark Control, and choose which routes need one. A new key is shown once; the gateway uses key changes within seconds.',
    warning: null,
    allowedStatuses: 'any',
    group: 'Security',
    visibility: 'enabled',
  },
  manageApiKeysInput,
  async () => null,
  async ({ effects, input }) => {
    const done = await runManageApiKeys(dataDir(), input)
    if (done.wrote) await giveToServices(done.wrote)
    if (!done.restart) return done.shown
    const restarting = await restartIfRunning(effects)
    const when = restarting
      ? ' Spark Control is restarting so the gateway applies it.'
      : ' It applies when Spark Control next starts.'
    return { ...done.shown, message: `${done.shown.message}${when}` }
  },
)
