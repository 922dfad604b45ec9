/**
 * Sentences as speech recognition writes them: lower-case names, digits spelled out, mail addresses
 * read aloud, seed words read one by one. The value recorded is the text as written in the transcript.
 */
import * as btc from './bitcoin.ts'
import { framing, fullName, laterName, orgName } from './cast.ts'
import type { Fact } from './facts-written.ts'
import { spellDigits, spokenEmail, spokenSeed } from './spoken.ts'
import * as s from './structured.ts'
import * as t1 from './tier1.ts'

export const SPOKEN_FACTS: Fact[] = [
  (b, c, d) => {
    const p = d.pick(c.people)
    b.add('yeah so my number is ').mention('structured', 'phone_spoken', spellDigits(s.phone(d)))
    b.add(' and email is ')
      .mention('structured', 'email_spoken', spokenEmail(s.email(d, p.given, p.surname)))
      .add('. ')
  },
  (b, _c, d) => {
    b.add('my social is ')
      .mention('tier1', 'ssn_spoken', spellDigits(t1.ssn(d, '-')), { drop: true })
      .add(' okay. ')
  },
  (b, _c, d) => {
    b.add('card number is ').mention('tier1', 'card_spoken', spellDigits(t1.cardNumber(d, ' ')), {
      drop: true,
    })
    b.add(' and the pin is ')
      .mention('tier1', 'pin_spoken', spellDigits(d.digits(4)), { drop: true })
      .add('. ')
  },
  (b, _c, d) => {
    b.add('the account number is ').mention('tier1', 'account_spoken', spellDigits(t1.accountNumber(d)), {
      drop: true,
    })
    b.add('. ')
  },
  (b, _c, d) => {
    b.add('i wrote the recovery phrase down, it is ')
    b.mention('crypto', 'seed_spoken', spokenSeed(d, btc.mnemonic(d, 12)), { drop: true }).add('. ')
  },
  (b, c, d) => {
    b.add('we are looking at ').mention(
      'structured',
      'amount',
      d.pick([
        'two hundred fifty thousand dollars',
        'five million dollars',
        'three hundred thousand euros',
        'half a million dollars',
      ]),
    )
    b.add(' for ')
    orgName(b, c, 'fund').add(' by ').mention('structured', 'date', s.date(d)).add('. ')
  },
  (b, c, d) => {
    const [talked, about] = framing(
      c,
      d,
      ['i talked to ', ' about it on '],
      [
        ['so ', ' rang me on '],
        ['and then ', ' told me on '],
      ],
    )
    b.add(talked)
    laterName(b, c, d.pick(c.people), d)
      .add(about)
      .mention('public', 'public', d.pick(['Monday', 'Thursday']))
    b.add(' and they moved it off ').mention('public', 'public', 'Coinbase').add('. ')
  },
  (b, c, d) => {
    const p = d.pick(c.people)
    const [lead, from, said, isIn, now] = framing(
      c,
      d,
      ['', ' from ', ' said the ', ' is in ', ' now. '],
      [['so ', ' over at ', ' reckons the ', ' stays in ', ' for now. ']],
    )
    fullName(b.add(lead), c, p).add(from)
    orgName(b, c, 'org').add(said).mention('public', 'public', 'Bitcoin').add(isIn)
    orgName(b, c, 'location').add(now)
  },
]
