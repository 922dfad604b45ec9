/**
 * How the local-LLM pass cuts a long item: pieces of at most `maxChars`, cut at a line break if the
 * piece has one, else after a sentence, else at a space, and only as a last resort inside a word
 * (never inside a surrogate pair). A name cut in two is then rare; one the model sees whole in any
 * piece is still found everywhere in the item (`domain/detect/llm-names.ts` matches the whole text).
 */
export function splitChunks(text: string, maxChars: number): string[] {
  const chunks: string[] = []
  let at = 0
  while (text.length - at > maxChars) {
    const end = cutPoint(text, at, at + maxChars)
    chunks.push(text.slice(at, end))
    at = end
  }
  if (at < text.length) chunks.push(text.slice(at))
  return chunks.filter((chunk) => /\S/.test(chunk))
}

/** Where to end the piece that starts at `from` and may run to `limit` (exclusive). */
function cutPoint(text: string, from: number, limit: number): number {
  const window = text.slice(from, limit)
  // Only boundaries in the second half: a cut near the start would make a tiny piece.
  const floor = Math.floor(window.length / 2)
  const line = window.lastIndexOf('\n')
  if (line >= floor) return from + line + 1
  const sentence = lastMatchEnd(window, /[.!?。！？]["')\]’”]*\s+/g)
  if (sentence >= floor) return from + sentence
  const space = window.search(/\s\S*$/)
  if (space >= floor) return from + space + 1
  const code = text.charCodeAt(limit - 1)
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit
}

function lastMatchEnd(text: string, pattern: RegExp): number {
  let end = -1
  for (const m of text.matchAll(pattern)) end = m.index + m[0].length
  return end
}
