/**
 * Speaker linking as the transcription pipeline's seam takes it (domain/transcribe/ports.ts): the
 * chunks' diarizer answers and the request's speaker-count hints in, the recording-wide label of
 * each chunk-local one out. So `diarized_json` and `transcribe-with-speakers` keep one label per
 * voice across a long file.
 */
import type { SpeakerLinker } from '../transcribe/ports.ts'
import { linkSpeakers } from './link.ts'

export function transcriptLinker(threshold: number): SpeakerLinker {
  return (chunks, hints) =>
    linkSpeakers(chunks, {
      threshold,
      numSpeakers: hints.num,
      minSpeakers: hints.min,
      maxSpeakers: hints.max,
    }).labelOf
}
