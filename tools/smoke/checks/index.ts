/** Every check, in the order the smoke test runs them (the order of `CHECK_NAMES`). */
import type { Check } from '../check.ts'
import { chatCheck } from './chat.ts'
import { embeddingsCheck } from './embeddings.ts'
import { scrubCheck } from './scrub.ts'
import { searchCheck } from './search.ts'
import { statusCheck } from './status.ts'
import { transcriptionCheck } from './transcription.ts'
import { ttsCheck } from './tts.ts'

export const SMOKE_CHECKS: Check[] = [
  statusCheck,
  chatCheck,
  transcriptionCheck,
  ttsCheck,
  embeddingsCheck,
  searchCheck,
  scrubCheck,
]
