/**
 * A known speaker's voiceprint from a reference clip: the diarizer's embedding of the voice that
 * speaks most in it (a clip may hold a second voice briefly, an interviewer or a greeting).
 */
import { AppError } from '../../../../shared/errors.ts'
import type { DiarizedChunk } from '../speakers/types.ts'

export function voiceprintOf(name: string, clip: DiarizedChunk): number[] {
  const speech = new Map<string, number>()
  for (const t of clip.segments) speech.set(t.speaker, (speech.get(t.speaker) ?? 0) + t.end_s - t.start_s)
  const [main] = [...speech].sort((a, b) => b[1] - a[1])[0] ?? []
  const print = main === undefined ? undefined : clip.fingerprints[main]
  if (!print || print.length === 0)
    throw new AppError(
      422,
      'reference_unusable',
      main === undefined
        ? `The reference clip for '${name}' has no speech the diarizer could hear.`
        : `The diarizer returned no voice embedding for the reference clip of '${name}', so it cannot be matched.`,
    )
  return print
}
