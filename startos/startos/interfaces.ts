import { SERVICES } from '../../shared/topology.ts'
import { sdk } from './sdk'

/**
 * The gateway's port, the only one the package exposes: the dashboard for the owner and the same
 * port as an API for apps (the earlier apps call `http://spark-control.startos:9999`).
 */
export const setInterfaces = sdk.setupInterfaces(async ({ effects }) => {
  const gateway = sdk.MultiHost.of(effects, 'main')
  const origin = await gateway.bindPort(SERVICES.gateway.port, { protocol: 'http' })
  const ui = sdk.createInterface(effects, {
    name: 'Dashboard',
    id: 'ui',
    description: 'The Spark Control dashboard: what runs on each Spark, model switching, settings',
    type: 'ui',
    masked: false,
    schemeOverride: null,
    username: null,
    path: '',
    query: {},
  })
  const api = sdk.createInterface(effects, {
    name: 'API',
    id: 'api',
    description: 'The OpenAI-compatible API and Spark Control API your apps call (API keys from the actions)',
    type: 'api',
    masked: false,
    schemeOverride: null,
    username: null,
    path: '',
    query: {},
  })
  return [await origin.export([ui, api])]
})
