import { sdk } from '../sdk'
import { configureAlerts } from './configureAlerts'
import { configureSparks } from './configureSparks'
import { configureUpstreams } from './configureUpstreams'
import { manageApiKeys } from './manageApiKeys'
import { reapplyPatches } from './reapplyPatches'
import { regenerateSshKey } from './regenerateSshKey'
import { setDashboardPassword } from './setDashboardPassword'
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
