import type { Daemons } from '@start9labs/start-sdk'
import type { BACKEND_SERVICES } from '../../shared/topology.ts'
import { APP_DIR, DAEMONS, DATA_DIR, type DaemonSpec, SERVICE_USER } from './daemons'
import { daemonEnv, type SparkNode } from './env'
import { storeJson } from './fileModels/store.json'
import type { manifest } from './manifest'
import { checkReady } from './ready'
import { sdk } from './sdk'

type Backend = (typeof BACKEND_SERVICES)[number]

/** Polls fast until ready, then every 30 s; a 503 (`loading`) is polled fast too, not every 30 s. */
const readyTrigger = sdk.trigger.statusTrigger(30_000, { starting: 1000, loading: 2000, failure: 2000 })

export const main = sdk.setupMain(async ({ effects }) => {
  // Read with .const(): configuring the Sparks re-runs main, restarting the daemons with the new
  // SPARK_NODES (the swap-controller and the monitor read it at start).
  const nodes: SparkNode[] = (await storeJson.read((s) => s.nodes).const(effects)) ?? []

  const subcontainer = sdk.SubContainer.of(
    effects,
    { imageId: 'spark-control' },
    sdk.Mounts.of().mountVolume({ volumeId: 'main', subpath: null, mountpoint: DATA_DIR, readonly: false }),
    'spark-control',
  )

  const daemon = (spec: DaemonSpec) => ({
    subcontainer,
    exec: { command: spec.command, cwd: APP_DIR, user: SERVICE_USER, env: daemonEnv(spec.id, nodes) },
    ready: { display: spec.display, fn: () => checkReady(spec.readyUrl), trigger: readyTrigger },
  })

  // Files the package writes from outside the services (the SSH key at install, the actions'
  // files, an earlier version's data) belong to root; the services run as the image's user.
  let chain = sdk.Daemons.of(effects).addOneshot('data-owner', {
    subcontainer,
    exec: { command: ['chown', '-R', `${SERVICE_USER}:${SERVICE_USER}`, DATA_DIR], user: 'root' },
    requires: [],
  }) as unknown as Daemons<typeof manifest, 'data-owner'>

  for (const spec of DAEMONS) {
    if (spec.id === 'gateway') continue
    chain = chain.addDaemon(spec.id as Backend, { ...daemon(spec), requires: ['data-owner'] }) as typeof chain
  }
  const gateway = DAEMONS.find((d) => d.id === 'gateway') as DaemonSpec
  return (chain as unknown as Daemons<typeof manifest, 'data-owner' | Backend>).addDaemon('gateway', {
    ...daemon(gateway),
    requires: gateway.requires as Backend[],
  })
})
