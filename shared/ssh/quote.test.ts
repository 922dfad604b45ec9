import { describe, expect, it } from 'vitest'
import { randomHostileString, splitShellWords } from '../../tests/ssh/shell-words.ts'
import { AppError } from '../errors.ts'
import { seededRandom } from '../random.ts'
import {
  absolutePathProblem,
  assertAbsolutePath,
  assertModelId,
  assertPort,
  assertSafeName,
  buildCommand,
  inDirectory,
  quoteArg,
  wireCommand,
} from './quote.ts'

const HOSTILE = [
  '; rm -rf /',
  '$(touch /tmp/pwned)',
  '`touch /tmp/pwned`',
  "it's",
  "'",
  "''",
  '"',
  '\\',
  'a\nb',
  'line\r\nbreak',
  '$HOME',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${IFS}, which the remote shell must not expand
  '${IFS}',
  '*',
  '~',
  '-rf',
  '--',
  '',
  ' ',
  '|| true',
  '&& reboot',
  '> /etc/passwd',
  '../../etc/shadow',
  'Ünïcødé 中文 😀',
  '\u202eevil',
  "'\"'\"'",
]

function expectValidation(fn: () => unknown, field: string) {
  try {
    fn()
    expect.unreachable('should have thrown')
  } catch (err) {
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).status).toBe(422)
    expect((err as AppError).issues?.[0]?.field).toBe(field)
  }
}

describe('quoteArg / buildCommand', () => {
  it('wraps every argument in single quotes and escapes embedded quotes', () => {
    expect(quoteArg('plain')).toBe(`'plain'`)
    expect(quoteArg("it's")).toBe(`'it'\\''s'`)
    expect(quoteArg('')).toBe(`''`)
    expect(buildCommand(['docker', 'ps', '-a'])).toBe(`'docker' 'ps' '-a'`)
  })

  it('keeps hostile values as single words', () => {
    for (const value of HOSTILE)
      expect(splitShellWords(buildCommand(['printf', '%s', value]))).toEqual(['printf', '%s', value])
  })

  it('never leaves a character outside quotes except the separating spaces and escaped quotes', () => {
    const command = buildCommand(HOSTILE)
    let outside = ''
    for (let i = 0; i < command.length; i++) {
      if (command[i] === "'") i = command.indexOf("'", i + 1)
      else if (command.startsWith("\\'", i)) i++
      else outside += command[i]
    }
    expect(outside).toBe(' '.repeat(HOSTILE.length - 1))
  })

  it('refuses NUL bytes, an empty argv and an empty program name', () => {
    expectValidation(() => buildCommand(['echo', 'a\0b']), 'argv.1')
    expectValidation(() => buildCommand([]), 'argv')
    expectValidation(() => buildCommand(['']), 'argv.0')
  })

  it('round-trips random hostile strings through a POSIX word splitter', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const random = seededRandom(seed)
      const argv = Array.from({ length: 1 + Math.floor(random() * 5) }, () => randomHostileString(random))
      argv[0] = argv[0] || 'x'
      const parsed = splitShellWords(buildCommand(argv))
      if (JSON.stringify(parsed) !== JSON.stringify(argv))
        expect.fail(`seed ${seed}: ${JSON.stringify(argv)}`)
    }
  })

  it('runs a command in a directory through positional parameters only', () => {
    const argv = inDirectory('/home/u/spark-vllm-docker', ['./run-recipe.sh', '$(id)'])
    expect(argv.slice(0, 5)).toEqual([
      'sh',
      '-c',
      'cd -- "$1" && shift && exec "$@"',
      'sh',
      '/home/u/spark-vllm-docker',
    ])
    expect(argv.slice(5)).toEqual(['./run-recipe.sh', '$(id)'])
    expectValidation(() => inDirectory('relative/dir', ['ls']), 'dir')
  })

  it('wireCommand adds the remote timeout 1 s past the budget, or nothing without one', () => {
    expect(wireCommand({ argv: ['docker', 'rm', '-f', 'x'], deadlineMs: 40_000 })).toBe(
      "'timeout' '-s' 'KILL' '41.000s' 'docker' 'rm' '-f' 'x'",
    )
    expect(wireCommand({ argv: ['true'], deadlineMs: 1500 })).toBe("'timeout' '-s' 'KILL' '2.500s' 'true'")
    expect(wireCommand({ argv: ["it's"], deadlineMs: null })).toBe(buildCommand(["it's"]))
    expect(splitShellWords(wireCommand({ argv: ['a b', '$(id)'], deadlineMs: 0 }))).toEqual([
      'timeout',
      '-s',
      'KILL',
      '1.000s',
      'a b',
      '$(id)',
    ])
    // Errors name the caller's own argv index, not the shifted one inside the wrapper.
    expectValidation(() => wireCommand({ argv: ['echo', 'a\0b'], deadlineMs: 1000 }), 'argv.1')
  })
})

describe('validators', () => {
  it('accepts container and recipe names, refuses anything else', () => {
    for (const ok of ['vllm_node', 'qwen3-30b.a3b', 'A', 'x'.repeat(128)]) expect(assertSafeName(ok)).toBe(ok)
    for (const bad of [
      '',
      '-rm',
      '.hidden',
      '_x',
      'a b',
      'a;b',
      'a/b',
      '../x',
      'x'.repeat(129),
      'é',
      'a\nb',
      'a\0',
      "a'b",
    ])
      expectValidation(() => assertSafeName(bad, 'container'), 'container')
    expectValidation(() => assertSafeName(42, 'container'), 'container')
  })

  it('accepts Hugging Face ids and refuses traversal, options and shell syntax', () => {
    for (const ok of ['Qwen/Qwen3-30B-A3B-FP8', 'meta-llama/Llama-3.1-8B-Instruct', 'a/b', 'org_1/model.v2'])
      expect(assertModelId(ok)).toBe(ok)
    for (const bad of [
      'noslash',
      'a/b/c',
      '../etc',
      'org/..',
      'org/a..b',
      'org/a--b',
      '-org/x',
      'org/x-',
      'org/.x',
      'org/$(id)',
      'org/x;y',
      'org/x y',
      '/abs/path',
      'org/中文',
      'org/x\n',
    ])
      expectValidation(() => assertModelId(bad), 'model')
  })

  it('accepts plain absolute paths and refuses traversal, controls and odd characters', () => {
    for (const ok of ['/', '/home/user/spark-vllm-docker', '/data/models/Qwen3-8B/', '/a/b@2/c+d=e,f:g'])
      expect(assertAbsolutePath(ok)).toBe(ok)
    for (const bad of [
      '',
      'relative',
      '~/x',
      '/a/../b',
      '/a/./b',
      '/..',
      '/a//b',
      '/a b',
      '/a\nb',
      '/a\0b',
      '/a$(id)',
      '/a`id`',
      "/a'b",
      '/a;b',
      '/é',
      `/${'x'.repeat(4096)}`,
    ])
      expectValidation(() => assertAbsolutePath(bad, 'model_path'), 'model_path')
    expect(absolutePathProblem('/a/../b')).toContain('..')
  })

  it('accepts ports as numbers or decimal strings', () => {
    expect(assertPort(8888)).toBe(8888)
    expect(assertPort('22')).toBe(22)
    for (const bad of [0, 65536, -1, 1.5, '8888; id', ' 22', '0x10', '', null, Number.NaN])
      expectValidation(() => assertPort(bad, 'vllm_port'), 'vllm_port')
  })
})
