/**
 * What speech-proxy serves, and what is still to be written. The gateway already routes every
 * `/v1/audio/*` and `/api/audio/*` path here (the earlier version's speech API); the planned ones
 * answer 501 until their issue builds them and moves them to `built` (shared/capabilities.ts).
 */
import type { Capability } from '../../shared/capabilities.ts'

export const SPEECH_CAPABILITIES = [
  {
    name: 'voices',
    title: 'The voice list',
    needs: ['kokoro'],
    built: ['GET /v1/audio/voices'],
    planned: [],
  },
  {
    name: 'status',
    title: 'Speech lanes and upstream status',
    needs: [],
    built: ['GET /api/speech/status'],
    planned: [],
  },
  {
    name: 'transcription',
    title: 'Transcription',
    needs: ['parakeet'],
    built: ['POST /v1/audio/transcriptions'],
    planned: [],
  },
  {
    name: 'diarization',
    title: 'Diarization (who spoke when)',
    needs: ['parakeet'],
    built: [
      'POST /v1/audio/diarization',
      'POST /api/audio/diarize',
      'POST /api/audio/diarize-chunk',
      'POST /api/audio/transcribe-with-speakers',
    ],
    planned: [],
  },
  {
    name: 'label-merge',
    title: 'Speaker label merge',
    needs: ['parakeet'],
    built: ['POST /v1/audio/label-merge', 'POST /api/audio/label-merge'],
    planned: [],
  },
  {
    name: 'tts',
    title: 'Text to speech',
    needs: ['kokoro'],
    built: ['POST /v1/audio/speech'],
    planned: [],
  },
] as const satisfies readonly Capability[]
