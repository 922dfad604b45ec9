import { keyFilePaths, regenerateKeyFiles } from '../../../shared/ssh/key-files.ts'
import { storeJson } from '../fileModels/store.json'
import { sdk } from '../sdk'
import { giveToServices } from '../service-owner.ts'
import { publicKeyShown } from './public-key-result.ts'
import { dataDir, restartIfRunning } from './running'

export const regenerateSshKey = sdk.Action.withoutInput(
  'regenerateSshKey',
  {
    name: 'Regenerate SSH key',
    description: 'Replaces the SSH key pair Spark Control logs in to the Sparks with.',
    warning:
      'The old key stops being used at once. Until every Spark has the new public key in ~/.ssh/authorized_keys, Spark Control cannot reach it: no model switches, no telemetry, no patches.',
    allowedStatuses: 'any',
    group: 'Setup',
    visibility: 'enabled',
  },
  async ({ effects }) => {
    const publicKey = await regenerateKeyFiles(dataDir())
    const paths = keyFilePaths(dataDir())
    await giveToServices(paths.dir, paths.privateKey, paths.publicKey)
    // Open SSH connections were made with the old key; a restart drops them.
    const restarting = await restartIfRunning(effects)
    return publicKeyShown(publicKey, (await storeJson.read((s) => s.nodes).once()) ?? [], {
      title: 'New SSH key',
      lead: `A new key pair replaced the old one${restarting ? ' and Spark Control is restarting' : ''}. Remove the old key from the Sparks when you add this one. `,
    })
  },
)
