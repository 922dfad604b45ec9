/**
 * `bucket.amounts`: an amount is shown as the range it falls in ("$1M–$5M") instead of a token,
 * so a model can still reason about size. A range ("$2–3M") spans the buckets of both ends. An
 * amount this cannot read returns null and is tokenised instead.
 */
const WORD_VALUES: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
  half: 0.5,
}
const MAGNITUDES: Record<string, number> = {
  k: 1e3,
  thousand: 1e3,
  m: 1e6,
  mm: 1e6,
  mn: 1e6,
  million: 1e6,
  b: 1e9,
  bn: 1e9,
  billion: 1e9,
  trillion: 1e12,
}
const FIAT_EDGES = [
  0, 1e3, 1e4, 1e5, 2.5e5, 5e5, 1e6, 5e6, 1e7, 2.5e7, 5e7, 1e8, 2.5e8, 5e8, 1e9, 5e9, 1e10, 1e11, 1e12,
]
const BTC_EDGES = [0, 0.001, 0.01, 0.1, 1, 5, 10, 50, 100, 500, 1000, 10000, 1e5, 21e6]

interface Currency {
  prefix: string
  suffix: string
  edges: number[]
  /** sats are shown as BTC ranges. */
  scale: number
}

function currencyOf(value: string): Currency | null {
  const fiat = (prefix: string, suffix = ''): Currency => ({ prefix, suffix, edges: FIAT_EDGES, scale: 1 })
  const btc: Currency = { prefix: '', suffix: ' BTC', edges: BTC_EDGES, scale: 1 }
  if (/\bsat(?:s|oshis?)?\b/i.test(value)) return { ...btc, scale: 1e-8 }
  if (/₿|\b(?:BTC|XBT|bitcoins?)\b/i.test(value)) return btc
  const symbol = /US\$|CA\$|A\$|HK\$|S\$|[$€£¥₹₣]/.exec(value)
  if (symbol) return fiat(symbol[0])
  const code = /\b(USD|EUR|GBP|CHF|JPY|CAD|AUD|HKD|SGD|CNY|SEK|NOK|DKK)\b/.exec(value)
  if (code) return fiat('', ` ${code[1]}`)
  if (/dollars?|bucks/i.test(value)) return fiat('$')
  if (/euros?/i.test(value)) return fiat('€')
  if (/pounds?/i.test(value)) return fiat('£')
  if (/francs?/i.test(value)) return fiat('', ' CHF')
  return fiat('')
}

/** Every number in the amount, magnitudes applied; a magnitude after the last number also scales the first ("$2–3M"). */
function numbersOf(value: string): number[] {
  const spoken = wordsValue(value)
  if (spoken !== null) return [spoken]
  const re =
    /(\d+(?:[,'\u2009\u202f]\d{3})*(?:\.\d+)?)\s?(thousand|million|billion|trillion|mn|bn|mm|k|m|b)?(?![\p{L}\p{N}])/giu
  const found = [...value.matchAll(re)].map((m) => ({
    n: Number(m[1]!.replace(/[,'\u2009\u202f]/g, '')),
    mag: m[2] ? MAGNITUDES[m[2].toLowerCase()]! : null,
  }))
  const shared = found[found.length - 1]?.mag ?? 1
  return found.map(({ n, mag }) => n * (mag ?? shared))
}

function wordsValue(value: string): number | null {
  const words = value.toLowerCase().match(/[a-z]+/g) ?? []
  if (!words.some((w) => w in WORD_VALUES)) return null
  let total = 0
  let group = 0
  for (const w of words) {
    if (w in WORD_VALUES) group += WORD_VALUES[w]!
    else if (w === 'hundred') group = (group || 1) * 100
    else if (w in MAGNITUDES && w.length > 2) {
      total += (group || 1) * MAGNITUDES[w]!
      group = 0
    }
  }
  return total + group || null
}

function short(n: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ]
  for (const [size, suffix] of units) if (n >= size) return `${+(n / size).toPrecision(3)}${suffix}`
  return `${+n.toPrecision(3)}`
}

export function bucketAmount(value: string): string | null {
  const currency = currencyOf(value)
  const numbers = numbersOf(value).map((n) => n * (currency?.scale ?? 1))
  if (!currency || numbers.length === 0 || numbers.some((n) => !Number.isFinite(n))) return null
  const { edges, prefix, suffix } = currency
  const lowEdge = edges.filter((e) => e <= Math.min(...numbers)).pop() ?? 0
  const highEdge = edges.find((e) => e > Math.max(...numbers))
  const label = (n: number) => `${prefix}${short(n)}`
  if (highEdge === undefined) return `>${label(lowEdge)}${suffix}`
  return `${label(lowEdge)}–${label(highEdge)}${suffix}`
}
