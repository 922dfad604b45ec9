/**
 * The shape of one patch file (`patches/<id>.yaml`) and the rules a file must keep to load:
 *
 * - Every command is an argv array, one word per element; it reaches the Spark quoted word by word.
 *   A shell (`sh -c …`, `bash`, …) as a program is refused: a patch never carries shell source.
 * - The only placeholders are `{container}` and `{memory_cap_bytes}` (the service's container name
 *   and memory cap from the inventory), filled in after the file is validated. Any other `{…}` is
 *   refused; Go templates (`{{.HostConfig.Memory}}`, as `docker inspect --format` takes) are text.
 * - Apply steps must be idempotent: running them on a container that already has the change leaves
 *   it as it is (`docker update` setting a value is; appending to a file is not). That cannot be
 *   checked here, so it is the rule every reviewed patch keeps.
 */
import { z } from '@hono/zod-openapi'
import { safeName } from '../../../../../shared/names.ts'

export const PLACEHOLDERS = ['container', 'memory_cap_bytes'] as const
export type Placeholder = (typeof PLACEHOLDERS)[number]

/** Programs that would run their argument as shell source; a patch is argv only. */
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'ash', 'csh', 'tcsh', 'fish', 'busybox'])

const KEBAB_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
const GO_TEMPLATE = /\{\{.*?\}\}/g
const SINGLE_BRACES = /\{([^{}]*)\}/g

const word = z.string().min(1, 'must not be empty').max(4096)
const argv = z
  .array(word, { error: 'must be a list of words (argv), one word per element, never a shell string' })
  .min(1, 'must hold at least the program name')
  .max(64)
const description = z.string().trim().min(1, 'must say in plain words what the step does').max(400)

const applyStep = z.strictObject({ description, argv })

const checkStep = z
  .strictObject({
    description,
    argv,
    /** The whole output, trimmed, must be exactly this (placeholders allowed). */
    stdout: z.string().max(4096).optional(),
    /** A regular expression the trimmed output must match (taken verbatim: `{n}` is a quantifier). */
    matches: z.string().min(1).max(500).optional(),
    /** Only the exit status counts. */
    exit_code: z.literal(0, { error: 'the only exit code a check can expect is 0' }).optional(),
  })
  .superRefine((step, ctx) => {
    const given = (['stdout', 'matches', 'exit_code'] as const).filter((k) => step[k] !== undefined)
    if (given.length !== 1)
      ctx.addIssue({
        code: 'custom',
        message: `must say what passes with exactly one of stdout, matches or exit_code (found ${given.length === 0 ? 'none' : given.join(', ')})`,
      })
    if (step.matches !== undefined) {
      try {
        new RegExp(step.matches)
      } catch (err) {
        ctx.addIssue({
          code: 'custom',
          path: ['matches'],
          message: `is not a valid regular expression: ${(err as Error).message}`,
        })
      }
    }
  })

const serviceName = safeName('a service name from the inventory', { max: 64 })

export const patchFileSchema = z.strictObject({
  id: z.string().regex(KEBAB_ID, 'must be kebab-case (lower-case letters, digits and single dashes)').max(80),
  version: z.number().int().min(1),
  description: z.string().trim().min(10, 'must say in plain words what the patch changes and why').max(2000),
  service: z.union([serviceName, z.array(serviceName).min(1).max(20)], {
    error: 'must be a service name from the inventory (parakeet, kokoro, …) or a list of them',
  }),
  apply: z.array(applyStep).min(1, 'must hold at least one step').max(20),
  check: z.array(checkStep).min(1, 'must hold at least one step').max(10),
})
export type PatchFile = z.infer<typeof patchFileSchema>

/** Why one argv word is not acceptable, or null; `where` names it in the reason. */
export function wordProblem(value: string, where: string): string | null {
  const outside = value.replace(GO_TEMPLATE, '')
  for (const [, name] of outside.matchAll(SINGLE_BRACES)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(name ?? ''))
      return `${where}: unknown placeholder {${name}} (allowed: ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')})`
  }
  if (/[{}]/.test(outside.replace(SINGLE_BRACES, '')))
    return `${where}: a brace outside a placeholder or a {{…}} template`
  return null
}

/** Why an argv is refused, or null: a shell as the program, an option as the program, a bad word. */
export function argvProblem(words: readonly string[], where: string): string | null {
  const program = words[0] ?? ''
  const base = program.split('/').pop() ?? program
  if (SHELLS.has(base) || /\s/.test(program))
    return `${where}: runs \`${program.slice(0, 40)}\` — a patch is argv only, never a shell or a shell string`
  if (program.startsWith('-') || program.startsWith('{'))
    return `${where}: the first word must be the program (docker, …), not an option or a placeholder`
  for (const [i, w] of words.entries()) {
    if (SHELLS.has(w) && /^-\w*c/.test(words[i + 1] ?? ''))
      return `${where}: runs \`${w} ${words[i + 1]}\` — a patch is argv only, never a shell string`
    const problem = wordProblem(w, `${where}.${i}`)
    if (problem) return problem
  }
  return null
}

/** The placeholders a patch uses anywhere (argv words and expected output). */
export function usedPlaceholders(file: PatchFile): Set<Placeholder> {
  const texts: string[] = [
    ...file.apply.flatMap((s) => s.argv),
    ...file.check.flatMap((s) => [...s.argv, ...(s.stdout ? [s.stdout] : [])]),
  ]
  const used = new Set<Placeholder>()
  for (const t of texts)
    for (const [, name] of t.replace(GO_TEMPLATE, '').matchAll(SINGLE_BRACES))
      if ((PLACEHOLDERS as readonly string[]).includes(name ?? '')) used.add(name as Placeholder)
  return used
}

/** Fills in the placeholders of one validated word; `{{…}}` templates are left as they are. */
export function fillPlaceholders(value: string, values: Record<Placeholder, string>): string {
  return value
    .split(/(\{\{.*?\}\})/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(SINGLE_BRACES, (_, n: Placeholder) => values[n])))
    .join('')
}
