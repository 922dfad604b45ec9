export { startSimNodes, type ContainerInfo, type SimNodeHandle, type SimNodesHandle, type SimNodesOptions } from './server.ts'
export type { PortMap, RecipeMeta } from './cluster.ts'
export type { CommandRecord, SimNodeSpec } from './node-state.ts'
export { parseCommandLine, ShellSyntaxError } from './shell-words.ts'
