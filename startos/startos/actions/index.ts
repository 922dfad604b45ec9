import { sdk } from '../sdk'
import { configureAlerts, configureAlertsInput } from './configureAlerts'
import { configureSparks, configureSparksInput } from './configureSparks'
import { configureUpstreams, configureUpstreamsInput } from './configureUpstreams'
import { manageApiKeys, manageApiKeysInput } from './manageApiKeys'
import { reapplyPatches, reapplyPatchesInput } from './reapplyPatches'
import { regenerateSshKey } from './regenerateSshKey'
import { setDashboardPassword, setDashboardPasswordInput } from './setDashboardPassword'
import { showPublicKey } from './showPublicKey'

export const actions = sdk.Actions.of()
  .addAction(configureSparks)
  .addAction(showPublicKey)
  .addAction(regenerateSshKey)
  .addAction(setDashboardPassword)
  .addAction(manageApiKeys)
  .addAction(configureUpstreams)
  .addAction(configureAlerts)
  .addAction(reapplyPatches)

/** Each action's input spec by action id, for the manifest test (with actions/samples.ts). */
export const inputSpecs = {
  configureSparks: configureSparksInput,
  setDashboardPassword: setDashboardPasswordInput,
  manageApiKeys: manageApiKeysInput,
  configureUpstreams: configureUpstreamsInput,
  configureAlerts: configureAlertsInput,
  reapplyPatches: reapplyPatchesInput,
}
