import { matchAll } from './structured-span.ts'
import type { Detection } from './types.ts'

const SYMBOL = String.raw`(?:US\$|CA\$|A\$|HK\$|S\$|[$€£¥₿₹₣])`
const CODE = `(?:USD|EUR|GBP|CHF|JPY|CAD|AUD|HKD|SGD|CNY|SEK|NOK|DKK|BTC|XBT|ETH|USDT|USDC|sats?|satoshis?)`
const CURRENCY_WORD = String.raw`(?:dollars?|bucks|euros?|pounds?(?:\s+sterling)?|francs?|yen|bitcoins?|btc|sats|satoshis?)`
const NUM = String.raw`(?:\d{1,3}(?:[,'\u2009\u202f]\d{3})+|\d+)(?:\.\d+)?`
/** A magnitude needs a boundary after it so `5km` or `3mg` never read as money. */
const MAG = String.raw`(?:\s?(?:thousand|million|billion|trillion|mn|bn|mm|k|m|b)(?![\p{L}\p{N}]))`
const ONE = String.raw`(?:${SYMBOL}\s?|${CODE}\s?)?${NUM}${MAG}?`
const RANGE_SEP = String.raw`\s?(?:-|–|—|to)\s?`

const NUMERIC = new RegExp(
  String.raw`(?<![\w.])${ONE}(?:${RANGE_SEP}${ONE})?(?:\s?(?:${CODE}|${CURRENCY_WORD})\b)?`,
  'giu',
)

const UNITS =
  'a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|half'
const WORD_NUM = String.raw`(?:${UNITS})(?:(?:\s+|-)(?:and\s+)?(?:${UNITS}))*`
/** Spoken amounts: "five million dollars", "two hundred thousand euros", "half a million". */
const WORDED = new RegExp(
  String.raw`\b${WORD_NUM}(?:\s+(?:thousand|million|billion|trillion))+(?:\s+${CURRENCY_WORD})?\b|\b${WORD_NUM}\s+${CURRENCY_WORD}\b`,
  'gi',
)

/** A number only counts as money with a currency or a magnitude (`500k`, `3 million`); bare `3m` does not. */
function isMoney(m: RegExpExecArray): boolean {
  const s = m[0]
  if (new RegExp(String.raw`^${SYMBOL}|${CODE}\b|${CURRENCY_WORD}\b`, 'i').test(s) || /\p{Sc}/u.test(s))
    return true
  return /\d\s?(?:thousand|million|billion|trillion|mn|bn|mm|k|M|B)(?![\p{L}\p{N}])/u.test(s)
}

export function detectAmounts(text: string): Detection[] {
  return [
    ...matchAll(text, NUMERIC, 'AMOUNT', 'amount', 0.85, isMoney),
    ...matchAll(text, WORDED, 'AMOUNT', 'amount-words', 0.75, (m) => !/^(?:a|an|half)$/i.test(m[0].trim())),
  ]
}
