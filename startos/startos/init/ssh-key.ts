import { ensureKeyFiles } from '../../../shared/ssh/key-files.ts'
import { sdk } from '../sdk'

/**
 * The key the swap-controller uses for every Spark (`ssh/id_ed25519` in the volume, the services'
 * default SSH_KEY_PATH). Made once: on every init an existing key is kept (the Sparks trust it),
 * including one an earlier version left in the volume.
 */
export const sshKey = sdk.setupOnInit(async () => {
  await ensureKeyFiles(sdk.volumes.main.path)
})
