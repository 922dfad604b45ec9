import { newRedactionMapKey } from '../env'
import { storeJson } from '../fileModels/store.json'
import { sdk } from '../sdk'

/**
 * The redaction-gateway refuses to start without a key for its maps. Made once, at the first init
 * that finds none (install, or the update from the earlier version), and kept from then on: a new
 * key would make every saved map unreadable. Backups carry it with the volume.
 */
export const redactionKey = sdk.setupOnInit(async (effects) => {
  const key = await storeJson.read((s) => s.redactionMapKey).once()
  if (!key) await storeJson.merge(effects, { redactionMapKey: newRedactionMapKey() })
})
