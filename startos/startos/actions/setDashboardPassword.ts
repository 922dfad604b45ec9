import { sdk } from '../sdk'
import { giveToServices } from '../service-owner.ts'
import { applyPassword, PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS, passwordMessage } from './password-input.ts'
import { dataDir, restartIfRunning } from './running'

const { InputSpec, Value, Variants } = sdk

export const setDashboardPasswordInput = InputSpec.of({
  choice: Value.union({
    name: 'Password',
    description: 'Set a password the dashboard asks for, or remove it.',
    default: 'set',
    variants: Variants.of({
      set: {
        name: 'Set a password',
        spec: InputSpec.of({
          password: Value.text({
            name: 'New password',
            description: `At least ${PASSWORD_MIN_CHARS} characters. Only a slow hash of it is stored.`,
            required: true,
            default: null,
            masked: true,
            minLength: PASSWORD_MIN_CHARS,
            maxLength: PASSWORD_MAX_CHARS,
          }),
        }),
      },
      remove: { name: 'Remove the password (no login)', spec: InputSpec.of({}) },
    }),
  }),
})

export const setDashboardPassword = sdk.Action.withInput(
  'setDashboardPassword',
  {
    name: 'Set dashboard password',
    description:
      'Set or remove the password the dashboard asks for. The gateway reads it at start, so Spark Control restarts.',
    warning: null,
    allowedStatuses: 'any',
    group: 'Security',
    visibility: 'enabled',
  },
  setDashboardPasswordInput,
  async () => null,
  async ({ effects, input }) => {
    const applied = await applyPassword(dataDir(), input)
    if (applied.set) await giveToServices(applied.file)
    const restarting = await restartIfRunning(effects)
    return {
      version: '1',
      title: applied.set ? 'Dashboard password set' : 'Dashboard password removed',
      message: passwordMessage(applied, restarting),
      result: null,
    }
  },
)
