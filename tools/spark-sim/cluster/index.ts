export type { RecipeMeta } from './cluster.ts'
export { SIM_DOWNLOADABLE_MODEL, SIM_UNRECIPED_MODEL } from './hf-hub.ts'
export { type SimNodesHandle, startSimNodes } from './server.ts'
