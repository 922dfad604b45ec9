/**
 * How eugr's `run-recipe.py` turns a recipe into the launch script it hands to launch-cluster.sh,
 * re-stated from its documented behaviour (never from the controller's code):
 * - the `command` template is filled like Python's `str.format` from `defaults` merged with the CLI
 *   overrides (`port`, `host`, `tensor_parallel`, `gpu_memory_utilization`, `max_model_len`); `{{`/`}}`
 *   are literal braces and a placeholder with no value stops the run;
 * - solo (and no-Ray) runs drop `--distributed-executor-backend <value>` and lines left empty;
 * - everything after `--` is appended to the command, each word shell-quoted;
 * - `env:` entries are exported first. Nothing else of the file is read: eugr has no idea of our own
 *   override block, so neither has this.
 */

import type { RecipeMeta } from './cluster.ts'

export type TemplateValue = string | number | boolean

export interface RecipeTemplate {
  name: string
  command: string
  defaults: Record<string, TemplateValue>
  env: Record<string, TemplateValue>
  /** The recipe file's exact text, when the recipe came from a file (what `cat` shows on a node). */
  source?: string
}

/** The CLI overrides by the keys they fill (only the ones given). */
export type RecipeOverrides = Partial<
  Record<'port' | 'host' | 'tensor_parallel' | 'gpu_memory_utilization' | 'max_model_len', TemplateValue>
>

/** Python's `str()` of a YAML scalar: booleans print as True/False. */
const pythonText = (v: TemplateValue) => (typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v))

/** `{name}` filled from `params`, or the error line eugr prints when a name has no value. */
export function fillTemplate(
  template: string,
  params: Record<string, TemplateValue>,
): string | { missing: string } {
  let missing: string | undefined
  const out = template.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (m, name?: string) => {
    if (m === '{{') return '{'
    if (m === '}}') return '}'
    const value = params[name as string]
    if (value === undefined) missing ??= name as string
    return value === undefined ? m : pythonText(value)
  })
  return missing === undefined ? out : { missing }
}

/** Python's `shlex.quote`. */
export const shlexQuote = (w: string) =>
  w === '' ? "''" : /^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'"'"'`)}'`

function withoutRayBackend(command: string): string {
  return command
    .replace(/--distributed-executor-backend\s+\S+/g, '')
    .split('\n')
    .filter((line) => !['', '\\'].includes(line.trim()))
    .join('\n')
}

export interface LaunchScriptInput {
  recipe: RecipeTemplate
  overrides: RecipeOverrides
  solo: boolean
  noRay: boolean
  extra: string[]
}

/** The generated launch script, or the two lines eugr prints (exit 1) for an unfilled placeholder. */
export function launchScript({
  recipe,
  overrides,
  solo,
  noRay,
  extra,
}: LaunchScriptInput): string | { error: string } {
  const params = { ...recipe.defaults, ...overrides }
  const filled = fillTemplate(recipe.command, params)
  if (typeof filled !== 'string')
    return {
      error:
        `Error: Missing parameter in recipe command: '${filled.missing}'\n` +
        `Available parameters: [${Object.keys(params)
          .map((k) => `'${k}'`)
          .join(', ')}]\n`,
    }
  let command = solo || noRay ? withoutRayBackend(filled) : filled
  command = command.trimEnd()
  if (command.endsWith('\\')) command = command.replace(/[\\\n]+$/, '').trimEnd()
  if (extra.length > 0) command = `${command} ${extra.map(shlexQuote).join(' ')}`
  const lines = ['#!/bin/bash', `# Generated from recipe: ${recipe.name}`, '']
  const env = Object.entries(recipe.env)
  if (env.length > 0)
    lines.push('# Environment variables', ...env.map(([k, v]) => `export ${k}="${pythonText(v)}"`), '')
  lines.push('# Run the model', command.trim(), '')
  return lines.join('\n')
}

/**
 * The recipe file a metadata-only recipe (tests give just a model and a placement) stands for: the
 * usual eugr command, with `--served-model-name` written into it when the metadata names one.
 */
export function templateOf(key: string, meta: RecipeMeta): RecipeTemplate {
  if (meta.template) return meta.template
  const served = meta.servedModelName ? ` --served-model-name ${meta.servedModelName}` : ''
  return {
    name: key,
    command:
      `vllm serve ${meta.model} --host {host} --port {port}${served} -tp {tensor_parallel} \\\n` +
      '    --gpu-memory-utilization {gpu_memory_utilization} --max-model-len {max_model_len} \\\n' +
      '    --load-format fastsafetensors --enable-prefix-caching --distributed-executor-backend ray\n',
    defaults: {
      port: meta.defaultPort ?? 8000,
      host: '0.0.0.0',
      tensor_parallel: meta.soloOnly ? 1 : 2,
      gpu_memory_utilization: 0.8,
      max_model_len: 32768,
    },
    env: {},
  }
}
