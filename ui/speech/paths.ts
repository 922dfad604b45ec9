/** Every URL of the dashboard's speech page, its fragments and its try-it forms, named once. */
export const SPEECH_PATHS = {
  page: '/ui/speech',
  status: '/ui/fragments/speech/status',
  transcribe: '/ui/actions/speech/transcribe',
  player: '/ui/fragments/speech/player',
  /** The audio itself (GET with `text` and `voice`, or the same as a form POST): the player's source. */
  say: '/ui/speech/say',
} as const

/** The longest text the try-it form speaks (the API takes more). */
export const SAY_MAX_CHARS = 1000
/** The voice the form starts with: Kokoro's default. */
export const DEFAULT_VOICE = 'af_heart'

/** The player's source for this text: a GET, so an `<audio>` element can load it. */
export const sayUrl = (text: string, voice: string) =>
  `${SPEECH_PATHS.say}?${new URLSearchParams({ text, voice })}`
