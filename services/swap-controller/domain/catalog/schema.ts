/**
 * The shape of a recipe file: eugr/spark-vllm-docker's fields (recipe format "1") plus ours under
 * `spark_control`. Every value that later reaches a command on a Spark — the container image,
 * mods, env keys and values, defaults (rendered into the command), the served name, a local path —
 * is checked against a strict pattern here, so a recipe carrying `;`, `$()`, backticks, quotes,
 * newlines or `../` is listed as invalid with the reason instead of ever being launched.
 * Unknown eugr fields are kept (eugr adds fields over time); unknown `spark_control` keys are
 * refused, since a misspelt override would otherwise be silently ignored.
 */
import { z } from '@hono/zod-openapi'
import { AppError } from '../../../../shared/errors.ts'
import { isSafeName } from '../../../../shared/names.ts'
import { absolutePathProblem, assertModelId } from '../../../../shared/ssh/quote.ts'

/** A word bash passes through untouched (no quotes needed). */
export const PLAIN_WORD = /^[A-Za-z0-9_.,:/=@%+^-]*$/
const DISPLAY_NAME = /^[\p{L}\p{N}][\p{L}\p{N} _.,:+()/-]{0,199}$/u
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/
const DEFAULT_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/
/**
 * What vLLM serves a model as (`--served-model-name`), which clients send back as `model`: unlike a
 * safe name (shared/names.ts) it may hold `/` and `:` (`org/model`, `qwen3:30b`) and run to 200.
 */
const SERVED_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,199}$/
// Docker reference: [registry[:port]/]path[:tag][@sha256:digest], lowercase path components.
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*'
const REGISTRY = '(?:[a-zA-Z0-9.-]+(?::[0-9]{1,5})?/)?'
const TAG = '(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?'
const IMAGE = new RegExp(`^${REGISTRY}${COMPONENT}(?:/${COMPONENT})*${TAG}$`)

export const KNOWN_OVERRIDES = [
  'port',
  'served_model_name',
  'mode',
  'gpu_memory_utilization',
  'max_model_len',
  'weights_gib',
  'on_demand',
  'min_residency_s',
  'local_path',
] as const

type Problem = (value: string) => string | null

export const modelIdProblem: Problem = (v) => {
  try {
    assertModelId(v)
    return null
  } catch (err) {
    return err instanceof AppError ? (err.issues?.[0]?.message ?? err.message) : 'is not a model id'
  }
}

export const imageProblem: Problem = (v) =>
  v.length <= 255 && IMAGE.test(v) && !v.includes('..')
    ? null
    : 'must be a Docker image such as `vllm-node` or `ghcr.io/org/image:tag` (lowercase letters, digits, `. _ - / :`)'

/** eugr copies mods from its checkout: a relative path like `mods/fix-x`, never outside it. */
export const modPathProblem: Problem = (v) => {
  if (v.startsWith('/'))
    return 'must be a path inside the spark-vllm-docker checkout, like `mods/fix-x` (not absolute)'
  const segments = v.split('/')
  if (segments.some((s) => s === '..' || s === '.')) return 'must not contain `.` or `..` segments'
  if (segments.length > 8 || !segments.every((s) => isSafeName(s)))
    return 'must be a relative path of letters, digits, `_ . -` separated by `/`, like `mods/fix-x`'
  return null
}

export const displayNameProblem: Problem = (v) =>
  DISPLAY_NAME.test(v)
    ? null
    : 'must be 1-200 letters, digits, spaces or `_ . , : + ( ) / -` (no quotes, `;`, `$`, backticks or line breaks)'

export const servedNameProblem: Problem = (v) =>
  SERVED_NAME.test(v) && !v.includes('..') && !v.includes('//')
    ? null
    : 'must be 1-200 letters, digits or `_ . : / -`, starting with a letter or digit'

export const plainWordProblem: Problem = (v) =>
  v.length <= 1024 && PLAIN_WORD.test(v)
    ? null
    : 'must be a plain value: letters, digits and `_ . , : / = @ % + ^ -` only ' +
      '(no spaces, quotes, `;`, `$`, backticks or line breaks)'

const pathProblem: Problem = (v) => {
  const problem = absolutePathProblem(v)
  return problem ? `${problem} (an absolute path on the Sparks)` : null
}

/** Type errors name a missing field as missing rather than as the wrong type. */
const typed = (message: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : message),
})

const checked = (problem: Problem) =>
  z.string(typed('must be text')).superRefine((v, ctx) => {
    const p = problem(v)
    if (p) ctx.addIssue({ code: 'custom', message: p })
  })

const flag = () => z.boolean(typed('must be true or false'))
const scalar = z.union([z.string(), z.number(), z.boolean()], {
  error: 'must be a single value (text, a number, or true/false)',
})

/** Scalars are checked as the text they become in the generated script. */
const plainScalar = scalar.superRefine((v, ctx) => {
  if (typeof v === 'number' && !Number.isFinite(v))
    ctx.addIssue({ code: 'custom', message: 'must be a finite number' })
  const p = typeof v === 'string' ? plainWordProblem(v) : null
  if (p) ctx.addIssue({ code: 'custom', message: p })
})

const wholeNumber = (min: number, max: number, unit = '') =>
  z
    .int({ error: `must be a whole number${unit}` })
    .min(min, `must be between ${min} and ${max}${unit}`)
    .max(max, `must be between ${min} and ${max}${unit}`)

const keyed = (pattern: RegExp, what: string) =>
  z.string().superRefine((k, ctx) => {
    if (!pattern.test(k)) ctx.addIssue({ code: 'custom', message: `is not a valid ${what}` })
  })

export const overridesSchema = z
  .strictObject({
    port: wholeNumber(1, 65535),
    served_model_name: checked(servedNameProblem),
    mode: z.enum(['solo', 'cluster', 'either'], { error: 'must be solo, cluster or either' }),
    gpu_memory_utilization: z
      .number({ error: 'must be a number' })
      .gt(0, 'must be above 0')
      .max(1, 'must be at most 1'),
    max_model_len: wholeNumber(1, 16_777_216),
    weights_gib: z
      .number({ error: 'must be a number' })
      .gt(0, 'must be above 0')
      .max(4096, 'must be at most 4096 (GiB)'),
    on_demand: flag(),
    min_residency_s: wholeNumber(0, 86_400, ' (seconds)'),
    local_path: checked(pathProblem),
  })
  .partial()

export type Overrides = z.infer<typeof overridesSchema>

export const recipeFileSchema = z.looseObject({
  recipe_version: z
    .union([z.string(), z.number()], { error: 'must be "1"' })
    .optional()
    .refine(
      (v) => v === undefined || String(v) === '1',
      'must be "1" (the only recipe format this controller reads)',
    ),
  name: checked(displayNameProblem),
  description: z.string({ error: 'must be text' }).max(4000, 'must be at most 4000 characters').optional(),
  model: checked(modelIdProblem).optional(),
  container: checked(imageProblem),
  command: z
    .string(typed('must be text (the `vllm serve …` template)'))
    .min(1, 'must not be empty')
    .max(16_384, 'must be at most 16384 characters'),
  cluster_only: flag().optional(),
  solo_only: flag().optional(),
  build_args: z.array(checked(plainWordProblem), { error: 'must be a list of arguments' }).max(64).optional(),
  mods: z
    .array(checked(modPathProblem), { error: 'must be a list of mod paths like `mods/fix-x`' })
    .max(32)
    .nullish(),
  defaults: z
    .record(keyed(DEFAULT_KEY, 'placeholder name (letters, digits, `_`)'), plainScalar, {
      error: 'must be a mapping of name: value',
    })
    .nullish(),
  env: z
    .record(
      keyed(ENV_KEY, 'environment variable name (letters, digits, `_`, not starting with a digit)'),
      plainScalar,
      {
        error: 'must be a mapping of NAME: value',
      },
    )
    .nullish(),
  spark_control: overridesSchema.nullish(),
})

export type RecipeFile = z.infer<typeof recipeFileSchema>

/** A path part as a reader sees it: odd keys (spaces, `;`, line breaks) quoted and shortened. */
const part = (p: PropertyKey) => {
  const text = String(p)
  return /^[\w.-]{1,60}$/.test(text) ? text : JSON.stringify(text.slice(0, 60))
}

/** zod issues as plain sentences that name the field, e.g. `container: must be a Docker image …`. */
export function issueReasons(error: z.ZodError): string[] {
  return error.issues.slice(0, 20).map((issue) => {
    const field = issue.path.map(part).join('.') || '(file)'
    if (issue.code === 'unrecognized_keys')
      return `${field}: unknown setting ${issue.keys.map(part).join(', ')} (known: ${KNOWN_OVERRIDES.join(', ')})`
    if (issue.code === 'invalid_key') return `${field}: ${issue.issues[0]?.message ?? 'is not a valid name'}`
    return `${field}: ${issue.message}`
  })
}
