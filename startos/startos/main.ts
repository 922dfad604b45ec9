import type { Daemons } from '@start9labs/start-sdk'
import type { BACKEND_SERVICES } from '../../shared/topology.ts'
import { APP_DIR, DAEMONS, DATA_DIR, type DaemonSpec, SERVICE_USER } from './daemons'
import { daemonEnv } from './env'
import { storeJson } from './fileModels/store.json'
import type { manifest } from './manifest'
import { checkReady } from './ready'
import { sdk } from './sdk'

type Backend = (typeof BACKEND_SERVICES)[number]
type Chain<Ids extends string> = Daemons<typeof manifest, Ids>

/** Every second until ready (a 503 is `loading`, which the default trigger would poll every 30 s). */
const readyTrigger = sdk.trigger.statusTrigger(30_000, { starting: 1000, loading: 2000, failure: 2000 })

export const main = sdk.setupMain(async ({ effects }) => {
  // .const(): configuring the Sparks re-runs main, restarting the daemons with the new SPARK_NODES
  // (the swap-controller and the monitor read it at start).
  const state = (await storeJson
    .read((s) => ({ nodes: s.nodes, redactionMapKey: s.redactionMapKey }))
    .const(effects)) ?? { nodes: [], redactionMapKey: '' }

  const subcontainer = sdk.SubContainer.of(
    effects,
    { imageId: 'spark-control' },
    sdk.Mounts.of().mountVolume({ volumeId: 'main', subpath: null, mountpoint: DATA_DIR, readonly: false }),
    'spark-control',
  )

  const daemon = (spec: DaemonSpec) => ({
    subcontainer,
    exec: { command: spec.command, cwd: APP_DIR, user: SERVICE_USER, env: daemonEnv(spec.id, state) },
    ready: { display: spec.display, fn: () => checkReady(spec.readyUrl), trigger: readyTrigger },
  })

  // The package's own code (init, actions; an earlier version too) writes the volume as root; the
  // services run as the image's user, so the volume is handed to it before they start.
  const owned = sdk.Daemons.of(effects).addOneshot('data-owner', {
    subcontainer,
    exec: { command: ['chown', '-R', `${SERVICE_USER}:${SERVICE_USER}`, DATA_DIR], user: 'root' },
    requires: [],
  })

  // The SDK types a chain by the ids added so far; walking the table in a loop keeps the type at
  // 'data-owner' (so each addDaemon still accepts a backend id), then names them all for the gateway.
  let backends: Chain<'data-owner'> = owned
  for (const spec of DAEMONS.filter((d) => d.id !== 'gateway'))
    backends = backends.addDaemon(spec.id as Backend, {
      ...daemon(spec),
      requires: ['data-owner'],
    }) as unknown as Chain<'data-owner'>

  const gateway = DAEMONS.find((d) => d.id === 'gateway') as DaemonSpec
  return (backends as Chain<'data-owner' | Backend>).addDaemon('gateway', {
    ...daemon(gateway),
    requires: gateway.requires as Backend[],
  })
})
