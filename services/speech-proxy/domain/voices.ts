/**
 * Kokoro's voice list, read from whichever shape the running image returns. Kokoro-FastAPI changed
 * it in v0.4.0 (`{voices:[{id,name}]}`; `?legacy=true` and older images give `{voices:["af_heart"]}`),
 * and some wrappers answer with a bare array — the Sparks may run any of them, so all are accepted
 * and one shape goes out.
 */

export interface Voice {
  id: string
  name: string
  /** BCP 47 tag, from the upstream or from Kokoro's naming scheme. */
  language?: string
  gender?: string
}

/**
 * Kokoro voice ids start with a language letter and a gender letter (`af_heart` = American English,
 * female). Only these prefixes are documented; anything else gets no derived traits.
 */
const KOKORO_LANGUAGES: Record<string, string> = {
  a: 'en-US',
  b: 'en-GB',
  e: 'es',
  f: 'fr',
  h: 'hi',
  i: 'it',
  j: 'ja',
  p: 'pt-BR',
  z: 'zh',
}
const KOKORO_GENDERS: Record<string, string> = { f: 'female', m: 'male' }

/** Longer ids are not voice names; refusing them keeps a confused upstream from flooding the list. */
const MAX_ID_LENGTH = 200

export function kokoroTraits(id: string): Pick<Voice, 'language' | 'gender'> {
  const match = /^([a-z])([fm])_/.exec(id)
  if (!match) return {}
  const language = KOKORO_LANGUAGES[match[1]!]
  const gender = KOKORO_GENDERS[match[2]!]
  return { ...(language ? { language } : {}), ...(gender ? { gender } : {}) }
}

/** Returns null when the body is no voice list at all (the caller turns that into a 502). */
export function normaliseVoices(body: unknown): Voice[] | null {
  const entries = Array.isArray(body) ? body : listIn(body)
  if (!entries) return null
  const seen = new Set<string>()
  const voices: Voice[] = []
  for (const entry of entries) {
    const voice = toVoice(entry)
    if (!voice || seen.has(voice.id)) continue
    seen.add(voice.id)
    voices.push(voice)
  }
  return voices
}

function listIn(body: unknown): unknown[] | null {
  if (!body || typeof body !== 'object') return null
  const voices = (body as { voices?: unknown }).voices
  return Array.isArray(voices) ? voices : null
}

function toVoice(entry: unknown): Voice | null {
  if (typeof entry === 'string') return withTraits(entry, entry, {})
  if (!entry || typeof entry !== 'object') return null
  const e = entry as Record<string, unknown>
  const id = text(e.id) ?? text(e.name) ?? text(e.voice_id)
  if (!id) return null
  return withTraits(id, text(e.name) ?? id, {
    language: text(e.language) ?? text(e.lang) ?? text(e.language_code),
    gender: text(e.gender),
  })
}

function withTraits(
  rawId: string,
  name: string,
  given: Partial<Pick<Voice, 'language' | 'gender'>>,
): Voice | null {
  const id = rawId.trim()
  if (!id || id.length > MAX_ID_LENGTH) return null
  const derived = kokoroTraits(id)
  const language = given.language ?? derived.language
  const gender = given.gender ?? derived.gender
  return { id, name: name.trim() || id, ...(language ? { language } : {}), ...(gender ? { gender } : {}) }
}

const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined
