/**
 * Every recipe value that later reaches a command on a Spark, fed the classic injections: each
 * must make the recipe invalid with a reason naming the field — never a valid recipe, never a throw.
 */
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { parseRecipe } from './recipe.ts'
import type { CatalogEntry } from './types.ts'

const SHELL = {
  semicolon: 'x;reboot',
  substitution: 'x$(id)',
  backticks: 'x`id`',
  newline: 'x\nreboot',
  'single quote': "x'y",
  'double quote': 'x"y',
}
const TRAVERSAL = { traversal: '../x' }

const base = {
  recipe_version: '1',
  name: 'Test Model',
  model: 'org/test-model',
  container: 'vllm-node',
  mods: ['mods/fix-a'],
  defaults: { port: 8000 },
  env: { SAFE_VAR: 1 },
  command: 'vllm serve org/test-model --port {port}\n',
}

function parseWith(patch: (r: Record<string, unknown>) => void, file = 'test.yaml'): CatalogEntry {
  const recipe = structuredClone(base) as Record<string, unknown>
  patch(recipe)
  return parseRecipe(stringify(recipe), { file })
}

function expectRefused(entry: CatalogEntry, field: string) {
  expect(entry.valid, `accepted: ${JSON.stringify(entry)}`).toBe(false)
  if (entry.valid) return
  expect(
    entry.reasons.some((r) => r.startsWith(field)),
    entry.reasons.join(' | '),
  ).toBe(true)
}

const cases = (values: Record<string, string>) => Object.entries(values)

describe('hostile values in fields that reach commands', () => {
  it('the base recipe is valid, so each refusal below is the hostile value`s doing', () => {
    expect(parseWith(() => undefined).valid).toBe(true)
  })

  it.each(cases({ ...SHELL, ...TRAVERSAL }))('recipe key (file name) with %s', (_what, value) => {
    expectRefused(
      parseWith(() => undefined, `${value}.yaml`),
      'file name',
    )
  })

  it.each(cases(SHELL))('display name with %s', (_what, value) => {
    expectRefused(
      parseWith((r) => (r.name = `Model ${value}`)),
      'name',
    )
  })

  it.each(cases({ ...SHELL, ...TRAVERSAL, 'dot-dot id': 'org/../etc' }))('model with %s', (_what, value) => {
    expectRefused(
      parseWith((r) => (r.model = value.startsWith('org') ? value : `org/${value}`)),
      'model',
    )
  })

  it.each(cases({ ...SHELL, ...TRAVERSAL, option: '--privileged' }))('container with %s', (_what, value) => {
    expectRefused(
      parseWith((r) => (r.container = value)),
      'container',
    )
  })

  it.each(cases({ ...SHELL, ...TRAVERSAL, absolute: '/etc/passwd', nested: 'mods/../../etc' }))(
    'mod path with %s',
    (_what, value) => {
      expectRefused(
        parseWith((r) => (r.mods = ['mods/ok', value])),
        'mods.1',
      )
    },
  )

  it.each(cases({ ...SHELL, ...TRAVERSAL, space: 'A B', 'leading digit': '1ABC' }))(
    'env key with %s',
    (_what, value) => {
      expectRefused(
        parseWith((r) => (r.env = { [value]: '1' })),
        'env.',
      )
    },
  )

  it.each(cases({ ...SHELL, space: 'a b' }))('env value with %s', (_what, value) => {
    expectRefused(
      parseWith((r) => (r.env = { SAFE_VAR: value })),
      'env.SAFE_VAR',
    )
  })

  it.each(cases(SHELL))('defaults value (rendered into the command) with %s', (_what, value) => {
    expectRefused(
      parseWith((r) => (r.defaults = { port: 8000, host: value })),
      'defaults.host',
    )
  })

  it.each(cases(SHELL))('command with %s', (_what, value) => {
    expectRefused(
      parseWith((r) => (r.command = `vllm serve org/test-model --x ${value}\n`)),
      'command',
    )
  })

  it.each(cases({ ...SHELL, ...TRAVERSAL }))('served name override with %s', (_what, value) => {
    expectRefused(
      parseWith((r) => (r.spark_control = { served_model_name: value })),
      'spark_control.served_model_name',
    )
  })

  it.each(cases({ ...SHELL, traversal: '/models/../etc', relative: 'models/x' }))(
    'local path override with %s',
    (_what, value) => {
      expectRefused(
        parseWith((r) => (r.spark_control = { local_path: value })),
        'spark_control.local_path',
      )
    },
  )

  it.each(cases(SHELL))('build_args with %s', (_what, value) => {
    expectRefused(
      parseWith((r) => (r.build_args = ['--tf5', value])),
      'build_args.1',
    )
  })

  it('reports odd keys readably, quoted and shortened', () => {
    const entry = parseWith((r) => (r.env = { [`A;rm -rf /\n${'x'.repeat(100)}`]: '1' }))
    const reason = entry.valid ? '' : (entry.reasons[0] ?? '')
    expect(reason).toMatch(/^env\."A;rm -rf \/\\nx+": is not a valid environment variable name/)
    expect(reason.length).toBeLessThan(200)
  })

  it('never throws on garbage input', () => {
    for (const text of [
      '',
      '\u0000',
      '{',
      '!!js/function "x"',
      'a: *missing',
      '- - - -',
      'x'.repeat(10_000),
    ]) {
      expect(() => parseRecipe(text, { file: 'garbage.yaml' })).not.toThrow()
      expect(parseRecipe(text, { file: 'garbage.yaml' }).valid).toBe(false)
    }
  })

  it('refuses alias bombs instead of expanding them', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i < 10; i++)
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      )
    const entry = parseRecipe(lines.join('\n'), { file: 'bomb.yaml' })
    expect(entry.valid).toBe(false)
    expect(entry.valid ? '' : entry.reasons.join(' ')).toContain('YAML')
  })
})
