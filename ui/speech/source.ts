/**
 * What the speech page reads from and asks of the speech-proxy: its answers as the wire contract
 * names them (shared/contracts/speech-proxy.ts) and the port it reads them through (ui/ports.ts;
 * the gateway gives an HTTP implementation, the tests give fakes).
 */
export type {
  DiarizedTranscriptBody,
  SpeechLaneStatus,
  SpeechRecentJob,
  SpeechStatusReport,
  SpeechUpstreamStatus,
  SpeechVoice,
} from '../../shared/contracts/speech-proxy.ts'
export { type SpeechSource, SpeechSourceError } from '../ports.ts'
