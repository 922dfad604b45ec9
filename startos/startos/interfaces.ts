import { GATEWAY_PORT, INTERFACES } from './interface-specs'
import { sdk } from './sdk'

/** Both interfaces on the gateway's port, the only one the package binds. */
export const setInterfaces = sdk.setupInterfaces(async ({ effects }) => {
  const origin = await sdk.MultiHost.of(effects, 'main').bindPort(GATEWAY_PORT, { protocol: 'http' })
  const interfaces = INTERFACES.map((spec) =>
    sdk.createInterface(effects, {
      ...spec,
      masked: false,
      schemeOverride: null,
      username: null,
      path: '',
      query: {},
    }),
  )
  return [await origin.export(interfaces)]
})
