/**
 * Kokoro's voice catalogue, its blend syntax (`af_bella(2)+af_heart(1)`, `-` subtracts), the OpenAI
 * voice aliases, and how each voice maps onto espeak-ng so that voices sound different: the first
 * letter picks the language, the second the gender (espeak variant), and a stable hash of the name
 * the pitch within that gender's range.
 */
export const KOKORO_VOICES = [
  'af_alloy',
  'af_aoede',
  'af_bella',
  'af_heart',
  'af_jessica',
  'af_kore',
  'af_nicole',
  'af_nova',
  'af_river',
  'af_sarah',
  'af_sky',
  'am_adam',
  'am_echo',
  'am_eric',
  'am_fenrir',
  'am_liam',
  'am_michael',
  'am_onyx',
  'am_puck',
  'bf_alice',
  'bf_emma',
  'bf_isabella',
  'bf_lily',
  'bm_daniel',
  'bm_fable',
  'bm_george',
  'bm_lewis',
  'ef_dora',
  'em_alex',
  'ff_siwis',
  'hf_alpha',
  'hm_omega',
  'if_sara',
  'im_nicola',
  'jf_alpha',
  'jm_kumo',
  'pf_dora',
  'pm_alex',
  'zf_xiaobei',
  'zm_yunjian',
] as const

// Kokoro-FastAPI maps the OpenAI voice names onto its own.
export const OPENAI_VOICE_ALIASES: Record<string, string> = {
  alloy: 'am_adam',
  ash: 'af_nicole',
  coral: 'bf_emma',
  echo: 'af_bella',
  fable: 'af_sarah',
  onyx: 'bm_george',
  nova: 'bf_isabella',
  sage: 'am_michael',
  shimmer: 'af_sky',
}

const LANGUAGES: Record<string, string> = {
  a: 'en-us',
  b: 'en-gb',
  e: 'es',
  f: 'fr-fr',
  h: 'hi',
  i: 'it',
  j: 'ja',
  p: 'pt-br',
  z: 'cmn',
}

export interface BlendPart {
  voice: string
  weight: number
}

export class VoiceError extends Error {}

const known = new Set<string>(KOKORO_VOICES)

/** Parses `a(2)+b(1)-c` into signed weights; throws VoiceError with Kokoro-like messages. */
export function parseVoice(spec: string): BlendPart[] {
  const text = spec.trim()
  if (!text) throw new VoiceError('Voice name cannot be empty')
  if (/[+-]{2,}|^[+-]|[+-]$/.test(text)) throw new VoiceError(`Invalid voice combination: '${spec}'`)
  const parts: BlendPart[] = []
  for (const m of text.matchAll(/([+-]?)([^+-]+)/g)) {
    const sign = m[1] === '-' ? -1 : 1
    const item = m[2]!.trim()
    const w = /^([A-Za-z0-9_]+)\s*(?:\(\s*([0-9]*\.?[0-9]+)\s*\))?$/.exec(item)
    if (!w) throw new VoiceError(`Invalid voice item: '${item}'`)
    const name = OPENAI_VOICE_ALIASES[w[1]!] ?? w[1]!
    const weight = w[2] === undefined ? 1 : Number(w[2])
    if (!(weight > 0)) throw new VoiceError(`Voice weights must be positive: '${item}'`)
    if (!known.has(name))
      throw new VoiceError(`Voice '${w[1]}' not found. Available voices: ${KOKORO_VOICES.join(', ')}`)
    parts.push({ voice: name, weight: sign * weight })
  }
  if (!parts.some((p) => p.weight > 0))
    throw new VoiceError(`Voice combination needs a positive part: '${spec}'`)
  return parts
}

const nameHash = (s: string) => {
  let h = 2166136261
  for (const ch of s) h = Math.imul(h ^ ch.charCodeAt(0), 16777619)
  return h >>> 0
}

export interface EspeakVoice {
  /** `-v` argument, e.g. `en-us+f3`. */
  voice: string
  /** `-p` pitch, 0–99. */
  pitch: number
}

function single(name: string): EspeakVoice {
  const lang = LANGUAGES[name[0]!] ?? 'en-us'
  const female = name[1] === 'f'
  const h = nameHash(name)
  // espeak's variants f1–f5 / m1–m7 change formants; pitch ranges keep genders clearly apart.
  const variant = female ? `f${1 + (h % 5)}` : `m${1 + (h % 7)}`
  const pitch = female ? 55 + (h % 25) : 20 + (h % 25)
  return { voice: `${lang}+${variant}`, pitch }
}

/** A blend takes its language and timbre from the heaviest part and a weighted pitch. */
export function espeakVoiceFor(parts: BlendPart[]): EspeakVoice {
  const main = [...parts].sort((a, b) => b.weight - a.weight)[0]!
  const positive = parts.filter((p) => p.weight > 0)
  const total = positive.reduce((a, p) => a + p.weight, 0)
  let pitch = positive.reduce((a, p) => a + (single(p.voice).pitch * p.weight) / total, 0)
  // Subtracting a voice pushes the pitch away from it, a cheap analogue of subtracting its embedding.
  for (const p of parts.filter((q) => q.weight < 0))
    pitch += (pitch - single(p.voice).pitch) * 0.3 * (-p.weight / total)
  return { voice: single(main.voice).voice, pitch: Math.max(0, Math.min(99, Math.round(pitch))) }
}
