export type { PortMap, RecipeMeta } from './cluster.ts'
export { type HubModel, hubModel, onSimHub, SIM_DOWNLOADABLE_MODEL, SIM_UNRECIPED_MODEL } from './hf-hub.ts'
export type { CommandRecord, SimNodeSpec } from './node-state.ts'
export {
  type ContainerInfo,
  type SimNodeHandle,
  type SimNodesHandle,
  type SimNodesOptions,
  startSimNodes,
} from './server.ts'
export { parseCommandLine, ShellSyntaxError } from './shell-words.ts'
