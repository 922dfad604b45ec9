import { describe, expect, it } from 'vitest'
import { flagValue, renderTemplate, servedSource, splitCommand } from './command.ts'

describe('renderTemplate', () => {
  it('fills placeholders from values and turns doubled braces into literal ones', () => {
    const r = renderTemplate(`vllm serve m --port {port} --cc '{{"mode":"FULL"}}' -tp {tp}`, {
      port: '8888',
      tp: '2',
    })
    expect(r).toEqual({
      text: `vllm serve m --port 8888 --cc '{"mode":"FULL"}' -tp 2`,
      problems: [],
      used: ['port', 'tp'],
    })
  })

  it('names every placeholder without a value, once', () => {
    const r = renderTemplate('vllm serve m --a {x} --b {x} --c {y}', {})
    expect(r.problems).toEqual(['uses {x}, but defaults has no `x`', 'uses {y}, but defaults has no `y`'])
  })

  it('refuses lone braces and format specs eugr would choke on', () => {
    expect(renderTemplate('vllm serve m }', {}).problems).toEqual([
      'a lone `}` (write `}}` for a literal brace)',
    ])
    expect(renderTemplate('vllm serve m {port:>5}', { port: '1' }).problems[0]).toContain(
      'is not a placeholder name',
    )
  })
})

describe('splitCommand', () => {
  it('joins continued lines and splits words like bash, keeping single-quoted text whole', () => {
    const text =
      'vllm serve org/m \\\n    --host 0.0.0.0 \\\n    --speculative-config \'{"method": "mtp", "n": 2}\'\n'
    expect(splitCommand(text)).toEqual({
      argv: [
        'vllm',
        'serve',
        'org/m',
        '--host',
        '0.0.0.0',
        '--speculative-config',
        '{"method": "mtp", "n": 2}',
      ],
      problems: [],
    })
  })

  it.each([
    ['vllm serve m; rm -rf /', '`;`'],
    ['vllm serve m $(id)', '`$`'],
    ['vllm serve m `id`', '```'],
    ['vllm serve m && curl x', '`&`'],
    ['vllm serve m | sh', '`|`'],
    ['vllm serve m > /etc/passwd', '`>`'],
    ['vllm serve m --x "a b"', '`"`'],
    ['vllm serve m --x *', '`*`'],
    ['vllm serve m --x {a,b}', '`{`'],
    ['vllm serve m --x a\\ b', '`\\`'],
  ])('refuses %s', (text, shown) => {
    const { problems } = splitCommand(text)
    expect(problems.join(' ')).toContain(shown)
    expect(problems.join(' ')).toContain('outside single quotes')
  })

  it('refuses a second line, an unclosed quote and control characters', () => {
    expect(splitCommand('vllm serve m\nrm -rf /').problems[0]).toContain('line break without a trailing')
    expect(splitCommand("vllm serve m --x 'abc").problems).toEqual(['has an unclosed single quote'])
    expect(splitCommand('vllm serve m\u0007').problems).toContain('contains a control character')
  })

  it('allows anything inside single quotes, since bash reads nothing there', () => {
    const { argv, problems } = splitCommand('vllm serve m --chat-template-kwargs \'$(id); `x` | "y"\'')
    expect(problems).toEqual([])
    expect(argv[4]).toBe('$(id); `x` | "y"')
  })
})

describe('flagValue and servedSource', () => {
  const argv = [
    'vllm',
    'serve',
    'org/m',
    '--port',
    '8000',
    '--served-model-name',
    'a',
    'b',
    '--port=9000',
    '-tp',
    '2',
  ]

  it('returns the last occurrence, in either form, and the first of several values', () => {
    expect(flagValue(argv, ['--port'])).toBe('9000')
    expect(flagValue(argv, ['--served-model-name'])).toBe('a')
    expect(flagValue(argv, ['-tp', '--tensor-parallel-size'])).toBe('2')
    expect(flagValue(argv, ['--max-model-len'])).toBeNull()
    expect(flagValue(['vllm', 'serve', 'm', '--port'], ['--port'])).toBeNull()
  })

  it('finds what vllm serve loads: the positional, else --model', () => {
    expect(servedSource(argv)).toBe('org/m')
    expect(servedSource(['vllm', 'serve', '--model', 'org/x', '--port', '1'])).toBe('org/x')
    expect(servedSource(['vllm', 'serve', '--port', '1'])).toBeNull()
  })
})
