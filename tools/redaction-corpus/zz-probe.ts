import { DocBuilder, type MentionClass } from './builder.ts'
import { scrubCorpus } from './run-pipeline.ts'

const cases: [string, MentionClass, string, string, string][] = [
  ['AWS_SECRET_ACCESS_KEY=', 'tier1', 'aws_secret', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', '\n'],
  ['aws_secret_access_key = ', 'tier1', 'aws_secret', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', '\n'],
  ['DB_PASSWORD=', 'tier1', 'password', 'Tr0ub4dor-EXAMPLE', '\n'],
  ['{"api_key": "', 'tier1', 'api_key', 'a1b2c3d4EXAMPLEe5f6g7h8', '"}'],
  ['client_secret: ', 'tier1', 'secret', 'Zx8EXAMPLEqW3rT5yU7iO9', '\n'],
  ['export OPENAI_API_KEY=', 'tier1', 'secret', 'sk-EXAMPLEabcdefghijklmnopqrstuvwxyz012345', '\n'],
  ['the wifi password is ', 'tier1', 'password', 'BlueHarbor42', '.'],
  ['Authorization: Bearer ', 'tier1', 'bearer', 'abcEXAMPLE123def456ghi789jkl', '\n'],
  ['tel: ', 'structured', 'phone', '0044 20 7946 0958', '.'],
  ['call ', 'structured', 'phone', '+1 (415) 555-0134', ' today'],
  ['cell ', 'structured', 'phone', '415.555.0134', ' today'],
  ['mail jane ', 'structured', 'email', 'jane [at] example [dot] com', ' now'],
  ['write to ', 'structured', 'email', 'jane(at)example.com', ' now'],
  ['Send it to ', 'structured', 'address', 'P.O. Box 4821, Zug', '.'],
  ['Office at ', 'structured', 'address', '1600 Amphitheatre Pkwy, Mountain View, CA 94043', '.'],
  ['born ', 'structured', 'date', '03/14/1962', '.'],
  ['DOB: ', 'structured', 'date', '1962-03-14', '.'],
  ['around ', 'structured', 'amount', '€ 500.000', '.'],
  [
    'pay ',
    'crypto',
    'ln',
    'lightning:lnbc2500u1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpuaztrnwngzn3kdzw5hydlzf03qdgm2hdq27cqv3agm2awhz5se903vruatfhq77w3ls4evs3ch9zw97j25emudupq63nyw24cg27h2rspfj9srp',
    '.',
  ],
  ['IBAN ', 'tier1', 'iban', 'gb82 west 1234 5698 7654 32', '.'],
  ['iban is ', 'tier1', 'iban', 'DE89-3704-0044-0532-0130-00', '.'],
  ['acct ', 'tier1', 'acct', '000123456789', ' at the bank'],
  ['routing ', 'tier1', 'routing', '021000021', ' and'],
  ['SSN ', 'tier1', 'ssn', '078 05 1120', '.'],
  ['ssn: ', 'tier1', 'ssn', '078051120', '.'],
  ['my social is ', 'tier1', 'ssn', 'oh seven eight, oh five, one one two oh', '.'],
  ['card ', 'tier1', 'card', '4111-1111-1111-1111', ' exp 12/27'],
  ['Amex ', 'tier1', 'card', '3782 822463 10005', '.'],
  ['passport ', 'tier1', 'passport', '533380006', ' (US)'],
  ['PIN ', 'tier1', 'pin', '4821', '.'],
  [
    'seed: ',
    'crypto',
    'seed',
    'ABANDON ABANDON ABANDON ABANDON ABANDON ABANDON ABANDON ABANDON ABANDON ABANDON ABANDON ABOUT',
    '.',
  ],
  ['key ', 'crypto', 'wif', '5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ', '.'],
  ['addr ', 'crypto', 'addr', 'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', '.'],
  ['(', 'crypto', 'addr', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', ')'],
  ['tx ', 'crypto', 'txid', '4A5E1E4BAAB89F3A32518A88C31BC87F618F76673E2CC77AB2127B7AFDEDA33B', '.'],
]
const docs = cases.map(([pre, cls, type, value, post], i) =>
  new DocBuilder()
    .add(pre)
    .mention(cls, type, value, cls === 'tier1' ? { drop: true } : {})
    .add(post)
    .build(`p${i}`, 'crm', {}),
)
for (const r of await scrubCorpus(docs))
  console.log(JSON.stringify(r.doc.text), ' => ', JSON.stringify(r.scrubbed))
