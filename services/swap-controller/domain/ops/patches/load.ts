/**
 * One patch file's text → a `Patch`, or an invalid file with every reason (listed in
 * `GET /api/ops/patches`, never dropped silently). Pure: the directory adapter hands in the text.
 */

import type { z } from '@hono/zod-openapi'
import { parseDocument } from 'yaml'
import { argvProblem, type PatchFile, patchFileSchema, usedPlaceholders, wordProblem } from './schema.ts'

export interface Patch extends PatchFile {
  file: string
  /** The services it targets, always a list. */
  services: string[]
  /** The placeholders it uses; a service without a memory cap cannot take `{memory_cap_bytes}`. */
  placeholders: ReadonlySet<string>
}

export interface InvalidPatchFile {
  file: string
  reasons: string[]
}

export type PatchLoad = { ok: true; patch: Patch } | { ok: false; invalid: InvalidPatchFile }

const PATCH_FILE = /\.ya?ml$/i
/** Anchors and aliases can multiply a small file into a huge value. */
const MAX_ALIASES = 50

export const patchFileStem = (file: string) => file.replace(PATCH_FILE, '')

const invalid = (file: string, reasons: string[]): PatchLoad => ({ ok: false, invalid: { file, reasons } })

function yamlValue(text: string): { value?: unknown; reasons: string[] } {
  const doc = parseDocument(text, { uniqueKeys: true })
  if (doc.errors.length > 0)
    return {
      reasons: doc.errors.slice(0, 5).map((e) => `YAML: ${e.message.split('\n')[0]?.replace(/:$/, '')}`),
    }
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_ALIASES }), reasons: [] }
  } catch (err) {
    return { reasons: [`YAML: ${(err as Error).message.split('\n')[0]}`] }
  }
}

const field = (path: readonly PropertyKey[]) => path.map(String).join('.') || '(file)'

function schemaReasons(error: z.ZodError): string[] {
  return error.issues.slice(0, 20).map((issue) => {
    if (issue.code === 'unrecognized_keys')
      return `${field(issue.path)}: unknown field ${issue.keys.join(', ')}`
    return `${field(issue.path)}: ${issue.message}`
  })
}

/** The rules zod cannot express: argv words, placeholders, and the id matching the file name. */
function ruleReasons(file: string, data: PatchFile): string[] {
  const reasons: string[] = []
  if (data.id !== patchFileStem(file))
    reasons.push(`id: \`${data.id}\` must be the file name without .yaml (\`${patchFileStem(file)}\`)`)
  for (const kind of ['apply', 'check'] as const)
    for (const [i, step] of data[kind].entries()) {
      const problem = argvProblem(step.argv, `${kind}.${i}.argv`)
      if (problem) reasons.push(problem)
    }
  for (const [i, step] of data.check.entries()) {
    const problem = step.stdout === undefined ? null : wordProblem(step.stdout, `check.${i}.stdout`)
    if (problem) reasons.push(problem)
  }
  return reasons
}

export function parsePatch(text: string, file: string): PatchLoad {
  const yaml = yamlValue(text)
  if (yaml.reasons.length > 0) return invalid(file, yaml.reasons)
  const parsed = patchFileSchema.safeParse(yaml.value)
  if (!parsed.success) return invalid(file, schemaReasons(parsed.error))
  const reasons = ruleReasons(file, parsed.data)
  if (reasons.length > 0) return invalid(file, reasons)
  const data = parsed.data
  const services = [...new Set(typeof data.service === 'string' ? [data.service] : data.service)]
  return { ok: true, patch: { ...data, file, services, placeholders: usedPlaceholders(data) } }
}
