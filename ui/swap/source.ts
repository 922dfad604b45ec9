/**
 * What the swap pages read from and ask of the swap-controller: its answers as the wire contract
 * names them (shared/contracts/swap-controller.ts) and the port the pages read them through
 * (ui/ports.ts; the gateway gives an HTTP implementation, the tests give fakes).
 */
export type {
  AuditEntry,
  CatalogList,
  CatalogModel,
  JobView,
  LogLine,
  SwapStateView,
  TelemetryView,
  ValidateAnswer,
} from '../../shared/contracts/swap-controller.ts'
export { type LockView, type SwapSource, SwapSourceError } from '../ports.ts'
