/**
 * What the models page reads from and asks of the swap-controller's model management: its answers
 * as the wire contract names them (shared/contracts/swap-controller.ts) and the port the page reads
 * them through (ui/ports.ts; the gateway gives an HTTP implementation, the tests give fakes).
 */
export type {
  DeleteAnswer,
  DownloadView,
  MenuModel,
  ModelMenu,
  Suggestion,
} from '../../shared/contracts/swap-controller.ts'
export {
  type ModelsSource,
  ModelsSourceError,
  type NewCard,
  type NodeDisk,
} from '../ports.ts'
