/**
 * Sentences as people write them in notes, mails and chats, each planting one or more annotated
 * values. A fact takes the document's builder, cast and dice and appends one sentence.
 */
import * as btc from './bitcoin.ts'
import type { DocBuilder } from './builder.ts'
import { type Cast, framing, fullName, laterName, orgName, type Person } from './cast.ts'
import type { Dice } from './random.ts'
import * as s from './structured.ts'
import * as t1 from './tier1.ts'

export type Fact = (b: DocBuilder, cast: Cast, dice: Dice) => void

const lead = (cast: Cast, dice: Dice): Person => dice.pick(cast.people)
const network = (dice: Dice) => dice.pick(['main', 'main', 'main', 'test', 'regtest'] as const)
const SCRIPTS = ['p2pkh', 'p2sh', 'p2wpkh', 'p2wsh', 'p2tr'] as const

/** A receiving address of any script type on any network; segwit ones sometimes upper-case (QR style). */
function address(b: DocBuilder, d: Dice) {
  const script = d.pick(SCRIPTS)
  const value =
    script === 'p2pkh' || script === 'p2sh'
      ? btc.base58Address(d, script, network(d))
      : btc.segwitAddress(d, script, network(d))
  const upper = script !== 'p2pkh' && script !== 'p2sh' && d.chance(0.2)
  return b.mention('crypto', upper ? `${script}_upper` : script, upper ? value.toUpperCase() : value)
}

function secret(b: DocBuilder, d: Dice) {
  const shape = d.pick(Object.keys(t1.SECRET_SHAPES))
  return b.mention('tier1', `secret_${shape}`, t1.SECRET_SHAPES[shape]!(d), { drop: true })
}

export const WRITTEN_FACTS: Fact[] = [
  (b, c, d) => {
    const p = lead(c, d)
    const [met, of, inPlace, on] = framing(
      c,
      d,
      ['Met with ', ' of ', ' in ', ' on '],
      [
        ['Lunch with ', ', who heads ', ', in ', ' on '],
        ['Caught up with ', ' (', ') while in ', ' on '],
      ],
    )
    b.add(met)
    fullName(b, c, p).add(of)
    orgName(b, c, 'org').add(inPlace)
    orgName(b, c, 'location').add(on).mention('structured', 'date', s.date(d)).add('. ')
  },
  (b, c, d) => {
    const p = lead(c, d)
    laterName(b, c, p, d).add('’s email is ')
    if (d.chance(0.25))
      b.mention('structured', 'email_obfuscated', s.obfuscated(s.email(d, p.given, p.surname), d))
    else b.mention('structured', 'email', s.email(d, p.given, p.surname))
    b.add(' and the best number is ').mention('structured', 'phone', s.phone(d)).add('. ')
  },
  (b, c, d) => {
    orgName(b, c, 'org').add(' wants to move ').mention('structured', 'amount', s.amount(d)).add(' into ')
    orgName(b, c, 'fund').add(' before ').mention('structured', 'date', s.date(d)).add('. ')
  },
  (b, _c, d) => {
    b.add(
      d.pick(['Wire instructions: account number ', 'Send to acct # ', 'Brokerage account ', 'Account No. ']),
    )
    b.mention('tier1', 'account_number', t1.accountNumber(d), { drop: true })
    b.add(d.pick([', routing number ', ', ABA ', ', routing # ', ' (RTN ']))
    b.mention('tier1', 'routing_number', t1.abaRouting(d), { drop: true })
    b.add(d.pick([', SWIFT ', ', BIC ', ', SWIFT/BIC: '])).mention('tier1', 'swift', t1.swift(d), {
      drop: true,
    })
    b.add('. ')
  },
  (b, c, d) => {
    b.add('Beneficiary IBAN ')
      .mention('tier1', 'iban', t1.iban(d, d.chance(0.6)), { drop: true })
      .add(' at ')
    orgName(b, c, 'org')
      .add(d.pick(['; wire reference ', '; Fedwire IMAD ', '; wire confirmation number ']))
      .mention('tier1', 'wire', t1.wireReference(d), { drop: true })
    b.add('. ')
  },
  (b, c, d) => {
    laterName(b, c, lead(c, d), d).add(
      d.pick([' sent the SSN ', '’s social security number is ', ' gave us ']),
    )
    b.mention('tier1', 'ssn', t1.ssn(d, d.pick(['-', '-', ' '])), { drop: true }).add(
      ' for the onboarding file. ',
    )
  },
  (b, c, d) => {
    b.add(d.pick(['Copy of passport number ', 'Passport No. ', 'passport # ']))
      .mention('tier1', 'passport', t1.passport(d), { drop: true })
      .add(' received from ')
    laterName(b, c, lead(c, d), d).add('. ')
  },
  (b, _c, d) => {
    b.add(d.pick(['Paid the retainer with card ', 'Card on file: ', 'Charge the deposit to ']))
    b.mention('tier1', 'card_number', t1.cardNumber(d, d.pick([' ', '-', ''])), { drop: true })
    if (d.chance(0.4)) b.add(', PIN ').mention('tier1', 'pin', d.digits(4), { drop: true })
    b.add('. ')
  },
  (b, _c, d) => {
    const label = d.pick(['AWS_SECRET_ACCESS_KEY=', 'DB_PASSWORD=', 'client_secret: ', '"api_key": "'])
    b.add('Pasted from the .env file:\n', label).mention('tier1', 'secret_labelled', t1.genericSecret(d), {
      drop: true,
    })
    b.add(label.startsWith('"') ? '"\n' : '\n', 'Authorization: Bearer ')
    b.mention('tier1', 'secret_bearer', t1.genericSecret(d), { drop: true }).add('\n')
  },
  (b, _c, d) => {
    b.add(d.pick(['The integration still uses ', 'Rotate this key: ', 'Found in the config: API_KEY=']))
    secret(b, d).add(d.pick([' and ', '\nAuthorization: Bearer ', ' plus ']))
    secret(b, d).add(' — revoke both. ')
  },
  (b, _c, d) => {
    b.add(d.pick(['Driver’s license number ', 'Tax ID ', 'National ID ']))
    b.mention('tier1', 'gov_id', t1.governmentId(d), { drop: true }).add(' is on the KYC form. ')
  },
  (b, _c, d) => {
    b.add('Portal login: password: ')
      .mention('tier1', 'password', t1.password(d), { drop: true })
      .add(' (change it). ')
  },
  (b, _c, d) => {
    b.add('The old server key was pasted in the ticket:\n').mention('tier1', 'pem', t1.pemBlock(d), {
      drop: true,
    })
    b.add('\n')
  },
  (b, c, d) => {
    const verb = framing(c, d, ' will send ', [' is wiring ', ' plans to move '])
    laterName(b, c, lead(c, d), d).add(verb).mention('structured', 'amount', s.amount(d)).add(' to ')
    if (d.chance(0.2)) address(b.add('bitcoin:'), d).add(`?amount=0.${d.digits(3)}. `)
    else address(b, d).add('. ')
  },
  (b, _c, d) => {
    address(b.add('Deposit addresses: '), d).add(', ')
    address(b, d).add(' and ')
    address(b, d).add(' (old wallet). ')
  },
  (b, _c, d) => {
    const kind = d.pick(['xpub', 'ypub', 'zpub', 'tpub'] as const)
    b.add('Watch-only wallet: ').mention('crypto', kind, btc.extendedKey(d, kind)).add('. ')
  },
  (b, _c, d) => {
    b.add('The vault descriptor is ')
      .mention('crypto', 'descriptor', btc.descriptor(d))
      .add(' for the record. ')
  },
  (b, _c, d) => {
    const invoice = btc.lightningInvoice(d, network(d))
    const upper = d.chance(0.2)
    b.add('Please pay ').mention(
      'crypto',
      upper ? 'ln_invoice_upper' : 'ln_invoice',
      upper ? invoice.toUpperCase() : invoice,
    )
    b.add(' or use the tip link ').mention('crypto', 'lnurl', btc.lnurl(d)).add('. ')
  },
  (b, _c, d) => {
    b.add('Transaction ')
      .mention('crypto', 'txid', btc.txid(d))
      .add(' confirmed on ')
      .mention('structured', 'date', s.date(d))
    b.add('. ')
  },
  (b, _c, d) => {
    if (d.chance(0.5))
      b.add('DO NOT SHARE, private key ').mention('crypto', 'wif', btc.wif(d, network(d), d.chance(0.8)), {
        drop: true,
      })
    else
      b.add('Cold storage export ').mention('crypto', 'xprv', btc.extendedKey(d, d.pick(['xprv', 'tprv'])), {
        drop: true,
      })
    b.add('. ')
  },
  (b, _c, d) => {
    const phrase = btc.mnemonic(d, d.pick([12, 24]))
    const numbered = d.chance(0.3)
    const written = numbered
      ? phrase
          .split(' ')
          .map((w, i) => `${i + 1}. ${w}`)
          .join(' ')
      : phrase
    b.add(numbered ? 'Recovery words: 1. ' : 'Seed phrase backup: ')
    b.mention('crypto', 'seed', numbered ? written.slice(3) : written, { drop: true }).add('. ')
  },
  (b, _c, d) => {
    b.add('Mail the signed documents to ').mention('structured', 'address', s.streetAddress(d)).add('. ')
  },
  (b, c, d) => {
    const p = lead(c, d)
    b.add('Profile at ')
      .mention('structured', 'url', s.url(d, s.asciiSlug(p.surname)))
      .add(', posts as ')
    b.mention('structured', 'handle', s.handle(d, p.given, p.surname)).add('. ')
  },
  (b, _c, d) => {
    b.add('Custody statement reference ').mention('structured', 'digits', s.digitRun(d))
    b.add(', login from ').mention('structured', 'ip', s.documentationIp(d)).add(' flagged. ')
  },
  (b, c, d) => {
    laterName(b, c, lead(c, d), d)
      .add(framing(c, d, ' keeps most of it on ', [' holds the bulk on ', ' stores most with ']))
      .mention('public', 'public', d.pick(['Coinbase', 'Kraken']))
    b.add(' and asked about the ').mention('public', 'public', 'Lightning Network').add(' on ')
    b.mention('public', 'public', d.pick(['Monday', 'Tuesday', 'Friday'])).add('. ')
  },
  (b, c, d) => {
    b.add('Worried about what ').mention('public', 'public', 'the Federal Reserve').add(' does next; ')
    laterName(b, c, lead(c, d), d)
      .add(' wants a summary in ')
      .mention('public', 'public', d.pick(['Excel', 'Zoom']))
    b.add('. ')
  },
  (b, c, d) => {
    orgName(b, c, 'fund')
      .add(' closed its first round at ')
      .mention('structured', 'amount', s.amount(d))
      .add('; ')
    laterName(b, c, lead(c, d), d).add(' is an LP. ')
  },
  (b, c, d) => {
    const [p, q] = [lead(c, d), d.pick(c.people)]
    const [intro, at, event] = framing(
      c,
      d,
      [' introduced us to ', ' at the ', ' conference in '],
      [
        [' put us in touch with ', ' after the ', ' meetup in '],
        [' referred ', ' to us at a ', ' dinner in '],
      ],
    )
    fullName(b, c, p).add(intro)
    if (q === p) laterName(b, c, q, d)
    else fullName(b, c, q)
    b.add(at).mention('public', 'public', 'Bitcoin').add(event)
    orgName(b, c, 'location').add('. ')
  },
  (b, c, d) => {
    b.mention('public', 'public', 'May')
      .add(' we move the call to ')
      .mention('public', 'public', d.pick(['Wednesday', 'Thursday']))
    b.add('? ')
    laterName(b, c, lead(c, d), d)
      .add(' will send the deck over ')
      .mention('public', 'public', d.pick(['Slack', 'LinkedIn']))
    b.add(' after the ').mention('public', 'public', 'Nasdaq').add(' close. ')
  },
]
