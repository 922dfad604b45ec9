/**
 * OpenAPI shapes of the label-merge routes: their answers are the contract in
 * shared/contracts/speech-proxy.ts, re-exported here and pinned to the domain's own types below;
 * the form is a plain schema object (a zod form schema would make the router buffer the upload).
 */
import type { Same } from '../../../shared/contracts/same.ts'
import type {
  EarlierLabelMergeTimedBody,
  EarlierLabelMergeTranscribedBody,
  LabelMergeResultBody,
  LabelMergeSegmentBody,
} from '../../../shared/contracts/speech-proxy.ts'
import type {
  EarlierLabelMerge,
  EarlierTimedSegment,
  EarlierTranscribedSegment,
} from '../domain/label-merge/earlier-shape.ts'
import type { MergedSegment, MergeResult } from '../domain/label-merge/merge.ts'

export {
  EarlierLabelMergeTimed,
  EarlierLabelMergeTranscribed,
  LabelMergeResult,
} from '../../../shared/contracts/speech-proxy.ts'

/** What `/v1/audio/label-merge` answers: the merge result and the fingerprints by name. */
export type LabelMergeAnswerBody = MergeResult & { fingerprints: Record<string, number[]> }

// The merge and the earlier shape build exactly the contract: a drift fails tsc here.
true satisfies Same<MergedSegment, LabelMergeSegmentBody>
true satisfies Same<LabelMergeAnswerBody, LabelMergeResultBody>
true satisfies Same<EarlierLabelMerge<EarlierTranscribedSegment>, EarlierLabelMergeTranscribedBody>
true satisfies Same<EarlierLabelMerge<EarlierTimedSegment>, EarlierLabelMergeTimedBody>

const text = (description: string) => ({ type: 'string' as const, description })
const file = (description: string) => ({ type: 'string' as const, format: 'binary', description })

/** The multipart form both label-merge routes take (the earlier version's field names). */
export const labelMergeForm = {
  type: 'object' as const,
  properties: {
    file: file('One recording: mono, or a stereo call with the mic on channel 0 and system audio on 1'),
    mic_file: file('The user’s microphone (dual-channel; with system_file)'),
    system_file: file('The system audio: everyone else (dual-channel; with mic_file)'),
    timeline: text(
      'JSON `[{start, end, name, confidence?}]`, seconds from the start of this upload: who the meeting app ' +
        'showed as talking. Names the diarizer’s speakers.',
    ),
    self_name: text('The user’s name, given to the mic side’s lines (dual-channel); `Me` by default'),
    self_vad: text('JSON `[{start, end}]`: where the client’s own VAD heard the user on the mic (seconds)'),
    known_voiceprints: text('JSON `{name: [192 floats]}`: fingerprints from earlier answers'),
    transcribe: {
      type: 'boolean' as const,
      default: true,
      description: 'false: speaker turns only, no ASR',
    },
    priority: { type: 'string' as const, enum: ['interactive', 'standard', 'batch'] },
  },
}
