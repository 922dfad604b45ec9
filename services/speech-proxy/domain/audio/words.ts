/**
 * Joining ASR words into text. Upstreams differ: some give each word bare (`Hello`, `,`, `world`),
 * others the way tokenizers do, with a leading space on every word that starts one and none on a
 * piece that continues the word before (` don`, `'t`). Both must read the same, with no space before
 * punctuation — the earlier version's transcripts read "Hello, world", and clients compare them.
 */

/** Marks that attach to the word before them. */
const NO_SPACE_BEFORE = /\s+([.,!?;:%])/g

export function joinWords(words: readonly (string | { word: string })[]): string {
  const tokens = words.map((w) => (typeof w === 'string' ? w : w.word))
  // One word after the first with a leading space means the upstream marks word starts itself.
  const spacesAreMarks = tokens.slice(1).some((t) => /^\s/.test(t))
  const joined = spacesAreMarks ? tokens.join('') : tokens.map((t) => t.trim()).join(' ')
  return joined.replace(/\s+/g, ' ').replace(NO_SPACE_BEFORE, '$1').trim()
}

/** A word as it is shown on its own (verbose_json, captions): without the upstream's spacing. */
export const bareWord = (word: string) => word.trim()
