/**
 * The `command` of an eugr recipe: a `vllm serve …` template whose `{name}` placeholders take their
 * values from `defaults` (Python `str.format` rules, which eugr's runner uses: `{{` and `}}` are
 * literal braces). eugr pastes the rendered text into a bash script on the Spark, so it is shell
 * source there. Anything bash would act on — `;`, `$`, backticks, pipes, redirections, globs,
 * brace expansion, double quotes, a second command line — is refused. Single-quoted words are
 * allowed (recipes pass JSON configs that way) because bash reads nothing inside single quotes.
 */

/** Characters that mean nothing to bash outside quotes. */
const PLAIN = /^[A-Za-z0-9_.,:/=@%+^-]$/
const PLACEHOLDER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/

export interface Rendered {
  text: string
  /** Plain-language problems; empty when every placeholder had a value. */
  problems: string[]
  /** Placeholder names the template uses, in order of first use. */
  used: string[]
}

/** Fills `{name}` placeholders from `values`; `{{`/`}}` become single braces. */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): Rendered {
  const problems = new Set<string>()
  const used: string[] = []
  const text = template.replace(/\{\{|\}\}|\{([^{}]*)\}|[{}]/g, (match, name: string | undefined) => {
    if (match === '{{') return '{'
    if (match === '}}') return '}'
    // Problems leave a neutral stand-in, so the shell check below does not report them twice.
    if (name === undefined) {
      problems.add(`a lone \`${match}\` (write \`${match}${match}\` for a literal brace)`)
      return ''
    }
    if (!PLACEHOLDER_NAME.test(name)) {
      problems.add(`\`{${name.slice(0, 40)}}\` is not a placeholder name (letters, digits, \`_\`)`)
      return 'placeholder'
    }
    if (!used.includes(name)) used.push(name)
    const value = values[name]
    if (value === undefined) {
      problems.add(`uses {${name}}, but defaults has no \`${name}\``)
      return name
    }
    return value
  })
  return { text, problems: [...problems], used }
}

export interface SplitCommand {
  /** The words bash would hand to the program (single quotes removed). */
  argv: string[]
  problems: string[]
}

const describeChar = (ch: string) => (ch === '\n' ? 'a line break' : ch === '\t' ? 'a tab' : `\`${ch}\``)

/**
 * Splits a rendered command into words the way bash would, refusing everything bash would
 * interpret. Line continuations (`\` at the end of a line) join lines, as in eugr's recipes.
 */
export function splitCommand(text: string): SplitCommand {
  const problems = new Set<string>()
  if (CONTROL.test(text)) problems.add('contains a control character')
  const joined = text
    .replace(/\\\r?\n/g, ' ')
    .replace(/\r/g, '')
    .trim()
  const argv: string[] = []
  let word: string | null = null
  for (let i = 0; i < joined.length; i++) {
    const ch = joined[i] as string
    if (ch === ' ' || ch === '\t') {
      if (word !== null) argv.push(word)
      word = null
    } else if (ch === '\n') {
      problems.add(
        'has a line break without a trailing `\\` (bash would run the next line as a second command)',
      )
    } else if (ch === "'") {
      const end = joined.indexOf("'", i + 1)
      if (end < 0) {
        problems.add('has an unclosed single quote')
        break
      }
      const quoted = joined.slice(i + 1, end)
      if (quoted.includes('\n')) problems.add('has a line break inside single quotes')
      word = (word ?? '') + quoted
      i = end
    } else if (PLAIN.test(ch)) {
      word = (word ?? '') + ch
    } else {
      problems.add(`has ${describeChar(ch)} outside single quotes (bash would interpret it)`)
    }
  }
  if (word !== null) argv.push(word)
  return { argv, problems: [...problems] }
}

/**
 * The value of the last `--flag value` / `--flag=value` among `names` (argparse: the last one
 * wins). For flags that take several values (`--served-model-name a b`) the first is returned.
 */
export function flagValue(argv: readonly string[], names: readonly string[]): string | null {
  let found: string | null = null
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    const eq = arg.indexOf('=')
    if (arg.startsWith('-') && eq > 0 && names.includes(arg.slice(0, eq))) found = arg.slice(eq + 1)
    else if (names.includes(arg) && i + 1 < argv.length && !(argv[i + 1] as string).startsWith('-'))
      found = argv[i + 1] as string
  }
  return found
}

/** What `vllm serve` is asked to load: the positional after `serve`, or `--model`. */
export function servedSource(argv: readonly string[]): string | null {
  const positional = argv[2]
  if (positional !== undefined && !positional.startsWith('-')) return positional
  return flagValue(argv, ['--model'])
}

export const FLAGS = {
  servedModelName: ['--served-model-name'],
  port: ['--port'],
  gpuMemoryUtilization: ['--gpu-memory-utilization'],
  maxModelLen: ['--max-model-len'],
  tensorParallel: ['-tp', '--tensor-parallel-size'],
  pipelineParallel: ['-pp', '--pipeline-parallel-size'],
} as const
