import { HOST_PATTERN } from '../../../shared/config.ts'
import { SAFE_NAME, UNIX_USER } from '../../../shared/names.ts'
import { storeJson } from '../fileModels/store.json'
import { sdk } from '../sdk'
import { MAX_SPARKS, normaliseSparks, sparksPrefill } from './sparks-input.ts'

const { InputSpec, Value, List } = sdk

const nodeSpec = InputSpec.of({
  name: Value.text({
    name: 'Name',
    description: 'A short name for this Spark, shown on the dashboard and in logs.',
    required: true,
    default: null,
    placeholder: 'spark-1',
    patterns: [
      { regex: SAFE_NAME.source, description: 'Letters, digits, _ . -, starting with a letter or digit.' },
    ],
  }),
  host: Value.text({
    name: 'Host',
    description: 'Its IP address or host name on your network, without http:// or a port.',
    required: true,
    default: null,
    placeholder: '192.0.2.10',
    patterns: [
      {
        regex: HOST_PATTERN.source,
        description: 'An IP address or host name, without a scheme, port or path.',
      },
    ],
  }),
  user: Value.text({
    name: 'SSH user',
    description:
      'The user Spark Control logs in as; the package’s SSH public key goes in its ~/.ssh/authorized_keys.',
    required: true,
    default: null,
    placeholder: 'your SSH username',
    patterns: [{ regex: UNIX_USER.source, description: 'A Unix user name: letters, digits, _ . -' }],
  }),
  ssh_port: Value.number({
    name: 'SSH port',
    required: true,
    default: 22,
    integer: true,
    min: 1,
    max: 65535,
  }),
  role: Value.select({
    name: 'Role',
    description: 'Exactly one Spark is the head: it runs vLLM. The others are workers.',
    default: 'worker',
    values: { head: 'Head (runs vLLM)', worker: 'Worker' },
  }),
})

export const configureSparksInput = InputSpec.of({
  nodes: Value.list(
    List.obj(
      {
        name: 'Sparks',
        description:
          'Every DGX Spark Spark Control drives, reached over SSH. Most clusters have two: spark-1 (head) and spark-2 (worker).',
        minLength: 1,
        maxLength: MAX_SPARKS,
      },
      { spec: nodeSpec, displayAs: '{{name}}', uniqueBy: 'name' },
    ),
  ),
})

export const configureSparks = sdk.Action.withInput(
  'configureSparks',
  {
    name: 'Configure Sparks',
    description:
      'The address, SSH user and role of each Spark. Saving restarts the services with the new list.',
    warning: null,
    allowedStatuses: 'any',
    group: 'Setup',
    visibility: 'enabled',
  },
  configureSparksInput,
  async () => sparksPrefill((await storeJson.read((s) => s.nodes).once()) ?? []),
  async ({ effects, input }) => {
    const nodes = normaliseSparks(input)
    // main reads the nodes with .const(): the services restart with the new SPARK_NODES.
    await storeJson.merge(effects, { nodes })
    await sdk.action.clearTask(effects, `${sdk.manifest.id}:configureSparks`)
    return {
      version: '1',
      title: 'Sparks saved',
      message: `${nodes.length} Spark(s) saved; the services restart with them. Run "Show SSH public key" to see where the key must be added.`,
      result: null,
    }
  },
)
