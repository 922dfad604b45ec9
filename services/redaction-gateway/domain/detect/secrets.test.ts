import { describe, expect, it } from 'vitest'
import { detectSecrets } from './secrets.ts'

// Synthetic keys built here: the prefixes are real, the bodies are filler.
const body = (n: number) => 'aB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xYz'.repeat(4).slice(0, n)

function found(text: string): string[] {
  return detectSecrets(text).map((d) => `${d.kind}:${d.value}`)
}

describe('detectSecrets', () => {
  it('finds keys by their well-known prefixes', () => {
    const keys = [
      `sk-${body(40)}`,
      `sk-proj-${body(40)}`,
      `sk_live_${body(24)}`,
      `rk_test_${body(24)}`,
      `ghp_${body(36)}`,
      `github_pat_11${body(60)}`,
      `xoxb-1234-5678-${body(12)}`,
      `xoxp-${body(20)}`,
      'AKIAIOSFODNN7EXAMPLE',
      `AIza${body(35)}`,
      `glpat-${body(20)}`,
      `hf_${body(34)}`,
      `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.${body(43)}`,
    ]
    for (const key of keys) expect(found(`use ${key} here`)).toEqual([`api_secret:${key}`])
  })

  it('finds a whole PEM private-key block, also when it is cut short', () => {
    const pem = `-----BEGIN RSA PRIVATE KEY-----\nMIIEow${body(30)}\n${body(20)}==\n-----END RSA PRIVATE KEY-----`
    expect(found(`key:\n${pem}\nthanks`)).toEqual([`private_key:${pem}`])
    const cut = `-----BEGIN OPENSSH PRIVATE KEY-----\n${body(30)}\n${body(10)}`
    expect(found(`${cut}\n\nRegards, Sam`)).toEqual([`private_key:${cut}`])
    expect(found('-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----')).toEqual([])
  })

  it('finds labelled passwords and secrets in config, chat and speech', () => {
    expect(found('password: hunter2, secret=Zq8!xx')).toEqual(['api_secret:hunter2', 'api_secret:Zq8!xx'])
    expect(found('api_key="abc123XYZ" and PWD=letmein')).toEqual([
      'api_secret:abc123XYZ',
      'api_secret:letmein',
    ])
    expect(found('my password is Tr0ub4dor&3.')).toEqual(['api_secret:Tr0ub4dor&3'])
    expect(found('the passphrase is correcthorse')).toEqual(['api_secret:correcthorse'])
    expect(found('the PIN is 4821')).toEqual(['api_secret:4821'])
    expect(found('my pin is four eight two one.')).toEqual(['api_secret:four eight two one'])
    expect(found('password: Summer2024!')).toEqual(['api_secret:Summer2024!'])
    expect(found('password: hunter2, call me on one two three')).toEqual(['api_secret:hunter2'])
  })

  it('finds labels inside identifiers, bearer tokens, and a PIN written without "is"', () => {
    const aws = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
    expect(found(`AWS_SECRET_ACCESS_KEY=${aws}\n`)).toEqual([`api_secret:${aws}`])
    expect(found(`aws_secret_access_key = ${aws}`)).toEqual([`api_secret:${aws}`])
    expect(found('DB_PASSWORD=Tr0ub4dor-EXAMPLE')).toEqual(['api_secret:Tr0ub4dor-EXAMPLE'])
    expect(found('Authorization: Bearer abcEXAMPLE123def456ghi789jkl')).toEqual([
      'api_secret:abcEXAMPLE123def456ghi789jkl',
    ])
    expect(found('Bearer uKFcRRdmppvneJDuEXAMPLEjHuI')).toEqual(['api_secret:uKFcRRdmppvneJDuEXAMPLEjHuI'])
    expect(found('PIN 4821. pin four eight two one')).toEqual([
      'api_secret:4821',
      'api_secret:four eight two one',
    ])
    expect(
      found(
        'password_reset=true, the Bearer of bad news, Bearer responsibilities-everywhere, pin 12 of the map, my_secret_sauce: x',
      ),
    ).toEqual([])
  })

  it('finds high-entropy tokens after a generic label, and URL credentials', () => {
    expect(found('token: 9f8e7d6c5b4a39281706f5e4d3c2b1a0')).toEqual([
      'api_secret:9f8e7d6c5b4a39281706f5e4d3c2b1a0',
    ])
    expect(found('postgres://admin:s3cretPw@db.example.com/x')).toEqual(['api_secret:s3cretPw'])
  })

  it('ignores prose about passwords and low-entropy values after generic labels', () => {
    const prose = [
      'The password is reset weekly and the password was changed by IT.',
      'Her token: thanks for the help. The pin is not working. Secret Santa is on Friday.',
      'Use the API key from the vault; the private key is stored offline.',
      'See https://example.com/docs and email skip-the-line@example.com.',
    ].join('\n')
    expect(found(prose)).toEqual([])
  })

  it('gives offsets into the original text', () => {
    const text = `x ghp_${body(36)} y password = p4ss!word z`
    for (const d of detectSecrets(text)) expect(text.slice(d.start, d.end)).toBe(d.value)
  })
})
