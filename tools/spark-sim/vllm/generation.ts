/**
 * Deterministic "model output": the same prompt always yields the same tokens, so tests can assert
 * exact text, and a stable token count per prompt so usage numbers are checkable.
 */
import { seededRandom } from '../../../shared/random.ts'

const WORDS = (
  'the spark cluster answers every request with calm and measured words while the unified memory ' +
  'holds weights and cache together so each token arrives at a steady pace through the stream and ' +
  'nothing here is real yet it behaves like a served model would on a quiet afternoon in the lab'
).split(' ')

/** FNV-1a: tiny, stable across runtimes, good enough to seed a PRNG. */
export function hash32(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** Roughly what a BPE tokenizer gives for English: ~4 characters a token, never zero. */
export const countPromptTokens = (text: string): number => Math.max(1, Math.ceil(text.length / 4))

/**
 * The tokens of the answer to `prompt`. The natural length varies per prompt (16–63 tokens); a
 * smaller `maxTokens` truncates it (finish_reason `length`), a larger one ends early (`stop`).
 */
export function generateTokens(
  prompt: string,
  maxTokens: number | undefined,
): { tokens: string[]; finish: 'stop' | 'length' } {
  const seed = hash32(prompt)
  const rand = seededRandom(seed)
  const natural = 16 + (seed % 48)
  const limit = maxTokens === undefined ? natural : Math.min(natural, maxTokens)
  const tokens: string[] = []
  let sentenceStart = true
  for (let i = 0; i < limit; i++) {
    const last = i === natural - 1
    let word = WORDS[Math.floor(rand() * WORDS.length)] ?? 'spark'
    if (sentenceStart) word = word.charAt(0).toUpperCase() + word.slice(1)
    sentenceStart = false
    if (last || rand() < 0.08) {
      word += '.'
      sentenceStart = true
    }
    tokens.push(i === 0 ? word : ` ${word}`)
  }
  return { tokens, finish: limit < natural ? 'length' : 'stop' }
}

/**
 * A structured answer (`structured.ts`) as tokens of about four characters, so it streams in
 * pieces like any answer; a smaller `maxTokens` cuts it (finish_reason `length`), as vLLM's would be.
 */
export function textTokens(
  text: string,
  maxTokens: number | undefined,
): { tokens: string[]; finish: 'stop' | 'length' } {
  const all = text.match(/[\s\S]{1,4}/g) ?? []
  const limit = maxTokens === undefined ? all.length : Math.min(all.length, maxTokens)
  return { tokens: all.slice(0, limit), finish: limit < all.length ? 'length' : 'stop' }
}

/**
 * vLLM's scheduler caps concurrently running sequences (`--max-num-seqs`); the rest wait. This is
 * what makes `vllm:num_requests_waiting` non-zero under load.
 */
export class Scheduler {
  running = 0
  private readonly queue: Array<() => void> = []

  constructor(private readonly maxRunning: number) {}

  get waiting(): number {
    return this.queue.length
  }

  /** Resolves with a release function once a slot is free; rejects if `signal` aborts while queued. */
  admit(signal: AbortSignal): Promise<() => void> {
    const grant = (): (() => void) => {
      this.running++
      let released = false
      return () => {
        if (released) return
        released = true
        this.running--
        this.queue.shift()?.()
      }
    }
    if (this.running < this.maxRunning) return Promise.resolve(grant())
    return new Promise((resolve, reject) => {
      const entry = () => {
        signal.removeEventListener('abort', onAbort)
        resolve(grant())
      }
      const onAbort = () => {
        const i = this.queue.indexOf(entry)
        if (i >= 0) this.queue.splice(i, 1)
        reject(signal.reason ?? new Error('aborted'))
      }
      this.queue.push(entry)
      signal.addEventListener('abort', onAbort, { once: true })
    })
  }
}
