/**
 * Text that already looks like a placeholder (`[PERSON_1]`, `[ person_1 ]`, `[ORG-2]`) is
 * neutralised before tokens are written, so rehydration can never turn a user's literal text
 * into someone else's value. Neutralising swaps the ASCII square brackets for the fullwidth
 * ones, `［PERSON_1］` (U+FF3B/U+FF3D): it looks the same to a reader and a model, it keeps every
 * offset (one UTF-16 unit each), and rehydration never accepts fullwidth brackets as a token's
 * brackets (rehydrate code must import `NEUTRAL_OPEN`/`NEUTRAL_CLOSE` and refuse them).
 *
 * The inverse, `restoreNeutralised`, puts the ASCII brackets back after rehydration. It is exact
 * unless the input already held a fullwidth-bracketed token, which it would also turn ASCII;
 * that is the one documented case where a round trip changes text.
 */
export const NEUTRAL_OPEN = '［'
export const NEUTRAL_CLOSE = '］'

const INNER = String.raw`(\s*[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z][A-Za-z0-9]*)*[\s_-]*\d+\s*)`
const TOKEN_SHAPED = new RegExp(String.raw`\[${INNER}\]`, 'g')
const NEUTRALISED = new RegExp(`${NEUTRAL_OPEN}${INNER}${NEUTRAL_CLOSE}`, 'g')

export function neutralise(text: string): string {
  return text.replace(TOKEN_SHAPED, `${NEUTRAL_OPEN}$1${NEUTRAL_CLOSE}`)
}

export function restoreNeutralised(text: string): string {
  return text.replace(NEUTRALISED, '[$1]')
}
