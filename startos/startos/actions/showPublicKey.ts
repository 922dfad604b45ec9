import { ensureKeyFiles, keyFilePaths } from '../../../shared/ssh/key-files.ts'
import { storeJson } from '../fileModels/store.json'
import { sdk } from '../sdk'
import { giveToServices } from '../service-owner.ts'
import { publicKeyShown } from './public-key-result.ts'
import { dataDir } from './running'

export const showPublicKey = sdk.Action.withoutInput(
  'showPublicKey',
  {
    name: 'Show SSH public key',
    description: 'The key Spark Control logs in to the Sparks with, and where each Spark must have it.',
    warning: null,
    allowedStatuses: 'any',
    group: 'Setup',
    visibility: 'enabled',
  },
  async () => {
    // Made at install; made here too should it have been removed.
    const publicKey = await ensureKeyFiles(dataDir())
    const paths = keyFilePaths(dataDir())
    await giveToServices(paths.dir, paths.privateKey, paths.publicKey)
    return publicKeyShown(publicKey, (await storeJson.read((s) => s.nodes).once()) ?? [])
  },
)
