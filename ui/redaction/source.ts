/**
 * What the redaction page reads from and asks of the redaction-gateway: its answers as the wire
 * contract names them (shared/contracts/redaction-gateway.ts) and the port it reads them through
 * (ui/ports.ts; the gateway gives an HTTP implementation, the tests give fakes).
 */
export type { RedactionStats } from '../../shared/contracts/redaction-gateway.ts'
export {
  type RedactionSource,
  RedactionSourceError,
  type Restored,
  type ScrubAnswer,
  type ScrubTry,
} from '../ports.ts'
