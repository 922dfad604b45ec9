import { describe, expect, it } from 'vitest'
import { CHECK_NAMES, parseSmokeArgs, UsageError } from './args.ts'

const parse = (argv: string[], env: Record<string, string | undefined> = {}) => parseSmokeArgs(argv, env)

describe('smoke arguments', () => {
  it('takes the base, audio, key, timeout, a subset of checks in run order, and JSON output', () => {
    const o = parse([
      '--base',
      'https://spark.example:9999/',
      '--audio',
      'meeting.wav',
      '--key',
      'k1',
      '--insecure',
      '--timeout-s',
      '2.5',
      '--only',
      'scrub,status',
      '--json',
    ])
    expect(o).toMatchObject({
      base: 'https://spark.example:9999',
      audio: 'meeting.wav',
      key: 'k1',
      insecure: true,
      timeoutMs: 2500,
      only: ['status', 'scrub'],
      json: true,
    })
  })

  it('runs every check with a 60 s timeout by default and reads the key from SPARK_CONTROL_KEY', () => {
    const o = parse(['--base', 'http://127.0.0.1:9999'], { SPARK_CONTROL_KEY: 'from-env' })
    expect(o.only).toEqual([...CHECK_NAMES])
    expect(o.timeoutMs).toBe(60_000)
    expect(o.key).toBe('from-env')
    expect(o.audio).toBeUndefined()
    expect(parse(['--base', 'http://h', '--key', 'flag'], { SPARK_CONTROL_KEY: 'env' }).key).toBe('flag')
  })

  it.each([
    [[], /--base <gateway-url> is required/],
    [['--base', 'spark:9999'], /--base: use an http:\/\/ or https:\/\/ address/],
    [['--base', 'not a url'], /--base: not a URL/],
    [['--base', 'http://h', '--timeout-s', '0'], /--timeout-s: a number of seconds above 0/],
    [['--base', 'http://h', '--timeout-s', 'soon'], /--timeout-s/],
    [['--base', 'http://h', '--only', 'status,coffee'], /--only: no check named coffee/],
    [['--base', 'http://h', '--only', ','], /--only: name at least one check/],
    [['--base', 'http://h', '--verbose'], /Unknown option '--verbose'/],
    [['--base', 'http://h', 'extra'], /unexpected argument: extra/],
  ])('refuses %j', (argv, message) => {
    expect(() => parse(argv)).toThrow(UsageError)
    expect(() => parse(argv)).toThrow(message)
  })

  it('answers --help without asking for a base', () => {
    expect(parse(['--help']).help).toBe(true)
  })
})
