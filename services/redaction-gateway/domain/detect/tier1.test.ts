import { describe, expect, it } from 'vitest'
import { detectTier1Numbers } from './tier1.ts'

function found(text: string): string[] {
  return detectTier1Numbers(text).map((d) => `${d.kind}:${d.value}`)
}

function offsetsMatch(text: string): void {
  for (const d of detectTier1Numbers(text)) expect(text.slice(d.start, d.end)).toBe(d.value)
}

describe('bank numbers', () => {
  it('finds labelled account, routing and wire numbers with their separators', () => {
    const text = 'Routing number: 021000021, account number 1234-5678-9012. Wire ref FW2024ABC123456 sent.'
    expect(found(text)).toEqual([
      'routing_number:021000021',
      'account_number:1234-5678-9012',
      'wire:FW2024ABC123456',
    ])
    offsetsMatch(text)
  })

  it('raises the score of a routing number with a valid ABA checksum but keeps a garbled one', () => {
    const [valid] = detectTier1Numbers('ABA 021000021')
    const [garbled] = detectTier1Numbers('ABA 021000022')
    expect(valid?.score).toBeGreaterThan(garbled?.score ?? 1)
    expect(garbled?.kind).toBe('routing_number')
  })

  it('finds account numbers after the usual labels and sort codes', () => {
    expect(found('acct # 99887766')).toEqual(['account_number:99887766'])
    expect(found('savings account 44556677')).toEqual(['account_number:44556677'])
    expect(found('A/C: 00123456, sort code 12-34-56')).toEqual([
      'account_number:00123456',
      'routing_number:12-34-56',
    ])
  })

  it('finds IBANs compact, grouped, lower case, and labelled with a bad check digit', () => {
    expect(found('send to DE89 3704 0044 0532 0130 00 today')).toEqual(['iban:DE89 3704 0044 0532 0130 00'])
    expect(found('GB82-WEST-1234-5698-7654-32')).toEqual(['iban:GB82-WEST-1234-5698-7654-32'])
    expect(found('iban gb82west12345698765432.')).toEqual(['iban:gb82west12345698765432'])
    // Its digits may also pass Luhn; overlapping Tier-1 hits are merged by the resolver.
    const garbled = detectTier1Numbers('IBAN: DE89 3704 0044 0532 0130 01').filter((d) => d.kind === 'iban')
    expect(garbled.map((d) => d.value)).toEqual(['DE89 3704 0044 0532 0130 01'])
    expect(garbled[0]?.score).toBeLessThan(0.9)
    expect(found('model DE12 3456 7890 is not a bank number')).toEqual([])
  })

  it('finds SWIFT/BIC codes by label or by shape with a digit, XXX branch or bank words', () => {
    expect(found('SWIFT: DEUTDEFF')).toEqual(['swift:DEUTDEFF'])
    expect(found('bic code chasus33xxx')).toEqual(['swift:chasus33xxx'])
    expect(found('use CHASUS33 for it')).toEqual(['swift:CHASUS33'])
    expect(found('beneficiary bank DEUTDEFF500')).toEqual(['swift:DEUTDEFF500'])
    expect(found('URGENT: CUSTOMER BUSINESS REVIEW PLANNING')).toEqual([])
    expect(found('URGENT: CUSTOMER wants a bank transfer')).toEqual([])
  })
})

describe('identity numbers', () => {
  it('finds SSNs with every separator, and unlabelled only when the shape and rules hold', () => {
    for (const ssn of ['123-45-6789', '123 45 6789', '123.45.6789', '123/45/6789']) {
      expect(found(`ssn ${ssn}`)).toEqual([`ssn:${ssn}`])
      expect(found(`it is ${ssn} there`)).toEqual([`ssn:${ssn}`])
    }
    expect(found('social security number is 123456789')).toEqual(['ssn:123456789'])
    expect(found('ticket 000-12-3456 and 666-12-3456')).toEqual([])
  })

  it('keeps a labelled SSN that breaks the rules (ASR garbles digits), with a lower score', () => {
    const [hit] = detectTier1Numbers('SSN: 666-12-3456')
    expect(hit?.kind).toBe('ssn')
    expect(hit?.score).toBeLessThan(0.9)
  })

  it('reads SSNs and cards spelled out in transcripts, with offsets in the original', () => {
    const text = 's s n is one two three, four five, six seven eight nine. thanks'
    expect(found(text)).toEqual(['ssn:one two three, four five, six seven eight nine'])
    const card = 'my card number is four one one one one one one one one one one one one one one one'
    expect(found(card).map((f) => f.split(':')[0])).toEqual(['card_number'])
    offsetsMatch(card)
  })

  it('finds passports and government ids by label, stopping at the end of the code', () => {
    expect(found('passport no. 123456789, issued')).toEqual(['passport:123456789'])
    expect(found("driver's license D123-4567-8901 and I moved")).toEqual(['gov_id:D123-4567-8901'])
    expect(found('NI number AB 12 34 56 C')).toEqual(['gov_id:AB 12 34 56 C'])
    expect(found('EIN: 12-3456789')).toEqual(['gov_id:12-3456789'])
    expect(found('passport is in the drawer')).toEqual([])
  })

  it('finds card numbers by Luhn unlabelled and by label even when Luhn fails', () => {
    expect(found('paid with 4111 1111 1111 1111 yesterday')).toEqual(['card_number:4111 1111 1111 1111'])
    expect(found('5555-5555-5555-4444')).toEqual(['card_number:5555-5555-5555-4444'])
    expect(found('378282246310005')).toEqual(['card_number:378282246310005'])
    expect(found('order 4111111111111112 shipped')).toEqual([])
    const [labelled] = detectTier1Numbers('credit card number 4111-1111-1111-1112')
    expect(labelled?.kind).toBe('card_number')
    expect(labelled?.score).toBeLessThan(0.9)
  })
})

describe('negative prose', () => {
  it('finds nothing in ordinary CRM notes', () => {
    const notes = [
      'Met with the client on 2024-05-06 at 10:30 to review the account. Balance was about $250,000.',
      'Follow up next week: the portfolio review, the 3 open questions and the 401k rollover plan.',
      'Called 555-123-4567, left a voicemail. Meeting room 12, floor 4, call ref 2024-118.',
      'The passport office was closed; she will renew it in March. Account manager: Dana.',
      'Invoice #10023 for 12 hours, paid by wire last Tuesday. One or two items remain.',
      'Order 123456789 shipped on 12/05/2024; tracking shows three stops and one delay.',
    ].join('\n')
    expect(detectTier1Numbers(notes)).toEqual([])
  })
})
