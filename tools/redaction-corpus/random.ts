import { seededRandom } from '../../shared/random.ts'

/** The generator's dice: every choice comes from one seeded stream, so a seed is a corpus. */
export interface Dice {
  next(): number
  int(min: number, max: number): number
  pick<T>(items: readonly T[]): T
  chance(p: number): boolean
  bytes(n: number): Uint8Array
  digits(n: number): string
  letters(n: number, alphabet?: string): string
  shuffle<T>(items: readonly T[]): T[]
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'

export function createDice(seed: number): Dice {
  const next = seededRandom(seed)
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1))
  const letters = (n: number, alphabet = UPPER) =>
    Array.from({ length: n }, () => alphabet[int(0, alphabet.length - 1)]).join('')
  return {
    next,
    int,
    pick: (items) => items[int(0, items.length - 1)]!,
    chance: (p) => next() < p,
    bytes: (n) => Uint8Array.from({ length: n }, () => int(0, 255)),
    digits: (n) => letters(n, '0123456789'),
    letters,
    shuffle(items) {
      const out = [...items]
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(0, i)
        ;[out[i], out[j]] = [out[j]!, out[i]!]
      }
      return out
    },
  }
}
