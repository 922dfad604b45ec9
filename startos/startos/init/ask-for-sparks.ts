import { configureSparks } from '../actions/configureSparks'
import { storeJson } from '../fileModels/store.json'
import { sdk } from '../sdk'

/**
 * Nothing works until the package knows the Sparks: a critical task points the owner at
 * "Configure Sparks" while none is configured, and is cleared once they are.
 */
export const askForSparks = sdk.setupOnInit(async (effects) => {
  const nodes = (await storeJson.read((s) => s.nodes).once()) ?? []
  if (nodes.length === 0) {
    await sdk.action.createOwnTask(effects, configureSparks, 'critical', {
      reason: 'Tell Spark Control the address and SSH user of each Spark before it can drive them.',
    })
  } else {
    await sdk.action.clearTask(effects, `${sdk.manifest.id}:${configureSparks.id}`)
  }
})
