export {
  startVllmEmulator,
  type VllmEmulatorHandle,
  type VllmEmulatorOptions,
  type VllmFailure,
} from './emulator.ts'
export type { VllmState } from './engine.ts'
