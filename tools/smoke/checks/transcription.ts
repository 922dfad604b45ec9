/**
 * transcription: the given audio through `/api/audio/transcribe-with-speakers` (the earlier route
 * the transcript app uses: transcription and diarization in one answer) gives at least one word and
 * at least one speaker.
 */
import { openAsBlob } from 'node:fs'
import { basename } from 'node:path'
import { FormData } from 'undici'
import { type Check, fail } from '../check.ts'

interface SpeakerTranscript {
  duration?: number
  speakers_detected?: string[]
  segments?: { speaker?: string; text?: string }[]
}

export const transcriptionCheck: Check = {
  name: 'transcription',
  needs: ['parakeet'],
  async run(ctx) {
    const file = await ctx.audio()
    const form = new FormData()
    form.append('file', await openAsBlob(file), basename(file))
    const answer = await ctx.client.request('/api/audio/transcribe-with-speakers', { form })
    return transcriptVerdict(answer.json<SpeakerTranscript>())
  },
}

/** "31.9 s of audio: 84 words, 2 speakers"; fails without words or without a speaker. */
export function transcriptVerdict(body: SpeakerTranscript): string {
  const segments = Array.isArray(body.segments) ? body.segments : []
  const words = segments.flatMap((s) => (s.text ?? '').split(/\s+/).filter((w) => /\p{L}|\p{N}/u.test(w)))
  const speakers = new Set([
    ...(body.speakers_detected ?? []),
    ...segments.map((s) => s.speaker).filter((s): s is string => !!s),
  ])
  const audio = typeof body.duration === 'number' ? `${body.duration.toFixed(1)} s of audio` : 'the audio'
  if (words.length === 0)
    fail(`the transcript of ${audio} has no words (${segments.length} segments) — is the file speech?`)
  if (speakers.size === 0)
    fail(`the transcript of ${audio} has ${words.length} words but names no speaker (diarization found none)`)
  return `${audio}: ${plural(words.length, 'word')}, ${plural(speakers.size, 'speaker')}`
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
