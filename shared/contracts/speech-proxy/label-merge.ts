/**
 * The label-merge answers: `POST /v1/audio/label-merge` (seconds, every field of each merged
 * segment) and the earlier `POST /api/audio/label-merge` (the transcript app's shape: milliseconds
 * and text with `transcribe=true`, seconds and confidence without). Re-exported from
 * ../speech-proxy.ts; import that file.
 */
import { z } from '@hono/zod-openapi'

const Fingerprints = z.record(z.string(), z.array(z.number())).openapi({
  description:
    'Name → voice embedding (192 floats from TitaNet), to send back as `known_voiceprints` next time.',
})

const Source = z.enum(['mic_channel', 'timeline', 'voiceprint', 'diarizer']).openapi({
  description:
    'mic_channel: the user’s own line (dual-channel); timeline: named by the client’s timeline; ' +
    'voiceprint: named by a known voiceprint; diarizer: not named (`Unknown_N`).',
})

export const LabelMergeSegment = z
  .object({
    start: z.number().openapi({ description: 'Seconds' }),
    end: z.number().openapi({ description: 'Seconds' }),
    speaker: z
      .string()
      .openapi({ description: 'The diarizer’s label; `self` for the mic side', example: 'Speaker_0' }),
    name: z.string().openapi({ example: 'Ben' }),
    text: z.string().openapi({ description: 'Empty without a transcript (`transcribe=false`)' }),
    channel: z
      .union([z.literal(0), z.literal(1)])
      .nullable()
      .openapi({ description: '0 = mic, 1 = system audio, null for a mono file' }),
    source: Source,
    confidence: z.number().nullable().openapi({
      description:
        'How sure the name is (timeline share or voiceprint cosine), else the diarizer’s own, else null',
    }),
    overlap: z.boolean().openapi({ description: 'Someone else speaks during part of this segment' }),
  })
  .openapi('LabelMergeSegment')

export const LabelMergeResult = z
  .object({
    duration: z.number().openapi({ description: 'Seconds' }),
    speakers: z.array(z.string()).openapi({ description: 'Names in order of first appearance' }),
    segments: z.array(LabelMergeSegment),
    fingerprints: Fingerprints,
  })
  .openapi('LabelMergeResult')

export const EarlierLabelMergeTranscribed = z
  .object({
    duration: z.number().openapi({ description: 'Seconds' }),
    speakers: z.array(z.string()),
    segments: z.array(
      z.object({
        start_ms: z.number().int(),
        end_ms: z.number().int(),
        text: z.string(),
        speaker: z.string().openapi({ description: 'The name', example: 'Unknown_1' }),
        source: Source,
      }),
    ),
    fingerprints: Fingerprints,
  })
  .openapi('EarlierLabelMergeTranscribed')

export const EarlierLabelMergeTimed = z
  .object({
    duration: z.number().openapi({ description: 'Seconds' }),
    speakers: z.array(z.string()),
    segments: z.array(
      z.object({
        start_s: z.number(),
        end_s: z.number(),
        confidence: z.number().nullable(),
        speaker: z.string().openapi({ description: 'The name', example: 'Unknown_1' }),
        source: Source,
      }),
    ),
    fingerprints: Fingerprints,
  })
  .openapi('EarlierLabelMergeTimed')

export type LabelMergeSegmentBody = z.infer<typeof LabelMergeSegment>
export type LabelMergeResultBody = z.infer<typeof LabelMergeResult>
export type EarlierLabelMergeTranscribedBody = z.infer<typeof EarlierLabelMergeTranscribed>
export type EarlierLabelMergeTimedBody = z.infer<typeof EarlierLabelMergeTimed>
