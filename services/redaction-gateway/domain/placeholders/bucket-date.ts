/**
 * `bucket.dates`: a date is shown as its month ("March 2026") or quarter ("Q1 2026") instead of a
 * token. Numeric dates read month-first unless the first number cannot be a month (US order, as
 * the CRM writes them). A date this cannot place returns null and is tokenised instead.
 */
export type DateBucket = 'month' | 'quarter'

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]

interface Placed {
  year: number | null
  month: number | null
  quarter: number | null
}

function place(value: string): Placed | null {
  const iso = /^(\d{4})[-/](\d{1,2})[-/]\d{1,2}/.exec(value)
  if (iso) return { year: Number(iso[1]), month: Number(iso[2]), quarter: null }
  const numeric = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})$/.exec(value)
  if (numeric) {
    const [a, b] = [Number(numeric[1]), Number(numeric[2])]
    const year = Number(numeric[3]!.length === 2 ? `20${numeric[3]}` : numeric[3])
    return { year, month: a <= 12 ? a : b, quarter: null }
  }
  const quarter = /\b(?:Q([1-4])|(first|second|third|fourth)\s+quarter)\b.*?(\d{4}|'\d{2})/i.exec(value)
  if (quarter) {
    const q = quarter[1]
      ? Number(quarter[1])
      : ['first', 'second', 'third', 'fourth'].indexOf(quarter[2]!.toLowerCase()) + 1
    return { year: yearOf(quarter[3]!), month: null, quarter: q }
  }
  const monthIndex = MONTH_NAMES.findIndex((name) => new RegExp(`\\b${name.slice(0, 3)}`, 'i').test(value))
  if (monthIndex < 0) return null
  const year = /(\d{4}|'\d{2})\s*$/.exec(value)
  return { year: year ? yearOf(year[1]!) : null, month: monthIndex + 1, quarter: null }
}

function yearOf(raw: string): number {
  return raw.startsWith("'") ? 2000 + Number(raw.slice(1)) : Number(raw)
}

export function bucketDate(value: string, bucket: DateBucket): string | null {
  const placed = place(value.trim())
  if (!placed || (placed.month !== null && (placed.month < 1 || placed.month > 12))) return null
  const year = placed.year === null ? '' : ` ${placed.year}`
  const quarter = placed.quarter ?? Math.ceil(placed.month! / 3)
  if (bucket === 'quarter' || placed.quarter !== null) return `Q${quarter}${year}`
  return `${MONTH_NAMES[placed.month! - 1]}${year}`
}
