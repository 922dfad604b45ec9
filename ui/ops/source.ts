/**
 * What the operations page reads from and asks of the swap-controller's cluster operations: its
 * answers as the wire contract names them (shared/contracts/swap-controller/ops.ts) and the port the
 * page reads them through (ui/ports.ts; the gateway's adapters/ops-source.ts gives an HTTP
 * implementation that checks every answer against the contract, the tests give fakes).
 */
export type {
  AutoRestartEntry,
  OpsCommand,
  OpsServicesAnswer,
  PatchApplyAnswer,
  PatchApplyResult,
  PatchesAnswer,
  PatchStep,
  RestartAnswer,
  ServiceContainerView,
  ServiceHealth,
  SweepCell,
  SweepResult,
  SweepTarget,
} from '../../shared/contracts/swap-controller.ts'
export { SWEEP_LEVELS } from '../../shared/contracts/swap-controller.ts'
export { type OpsMode, type OpsSource, OpsSourceError } from '../ports.ts'
