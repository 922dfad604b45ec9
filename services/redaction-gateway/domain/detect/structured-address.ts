import { matchAll } from './structured-span.ts'
import type { Detection } from './types.ts'

const SUFFIX =
  '(?:street|avenue|road|boulevard|lane|drive|court|place|terrace|parkway|highway|square|Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|Terrace|Ter|Parkway|Pkwy|Highway|Hwy|Square|Sq|Circle|Cir|Trail|Crescent|Close|Row|Plaza)'
const WORD = String.raw`[A-Za-z][A-Za-z'’-]*\.?`
const UNIT = String.raw`(?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|Floor|Fl|#)\.?\s*#?[A-Za-z0-9-]+)?`
/** City, state and ZIP (`, Austin, TX 78701`), or a UK/EU postcode and city. */
const LOCALITY = String.raw`(?:,\s*(?:[A-Z][a-z]+\s?){1,3},?\s+[A-Z]{2}\s+\d{5}(?:-\d{4})?|,\s*(?:[A-Z][a-z]+\s?){1,3}(?:,\s*[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2})?)?`
/** US/UK order: number, street name, suffix. The suffix is a whole word so "3 big drives" is no address. */
const NUMBER_FIRST = new RegExp(
  String.raw`\b\d{1,5}[A-Za-z]?\s+(?:${WORD}\s+){1,4}${SUFFIX}\b\.?${UNIT}${LOCALITY}`,
  'g',
)
/** German/Swiss order: "Bahnhofstrasse 12, 8001 Zürich". */
const STREET_FIRST =
  /\b[\p{Lu}][\p{L}-]*(?:strasse|straße|gasse|weg|platz|allee|ring|str\.)\s+\d{1,4}[a-z]?(?:,\s*\d{4,5}\s+[\p{Lu}][\p{L}]+)?/gu
const UK_POSTCODE = /\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b/g

/** Post-office boxes, with the town when it follows: "P.O. Box 4821, Zug", "Postfach 12, 8021 Zürich". */
const PO_BOX =
  /\b(?:[Pp]\.?\s?[Oo]\.?\s?[Bb]ox|Post\s+Office\s+Box|Postfach|Case\s+postale)\s+\d{1,6}(?:,\s*(?:\d{4,5}\s+)?\p{Lu}[\p{L}-]+(?:\s\p{Lu}[\p{L}-]+)?)?/gu

/** "2 kids on the way", "3 miles down the road": a street name holds no function words. */
const FUNCTION_WORD = /\s(?:the|a|an|on|of|to|in|at|down|up|my|our|your|his|her|their|kids|miles|times)\s/i

export function detectAddresses(text: string): Detection[] {
  return [
    ...matchAll(text, NUMBER_FIRST, 'ADDR', 'address', 0.85, (m) => !FUNCTION_WORD.test(m[0])),
    ...matchAll(text, STREET_FIRST, 'ADDR', 'address', 0.85),
    ...matchAll(text, UK_POSTCODE, 'ADDR', 'address-postcode', 0.7),
    ...matchAll(text, PO_BOX, 'ADDR', 'address-po-box', 0.85),
  ]
}
