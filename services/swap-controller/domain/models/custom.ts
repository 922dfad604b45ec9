/**
 * Custom model cards (`POST /api/models`): the earlier ModelDef's identity — exactly one of `repo`
 * (a Hugging Face `org/name`) or `local_path` (an absolute path on the Sparks) — plus a display name
 * and the served name clients will use. The whole entry is validated before anything is stored;
 * every string that could later reach a command on a Spark goes through the shared validators.
 * Fields a card does not have are ignored and named in the answer (see `ignoredFields`).
 * Launch settings stay in recipes: a card without a recipe is listed as `needs_setup`.
 */
import { z } from '@hono/zod-openapi'
import { safeName } from '../../../../shared/names.ts'
import { assertModelId, assertSafeName, modelFolderProblem } from '../../../../shared/ssh/quote.ts'
import { displayNameProblem, modelIdProblem, servedNameProblem } from '../catalog/schema.ts'
import { keyForRepo } from './ids.ts'

export const MAX_CUSTOM_MODELS = 200

export interface CustomModel {
  key: string
  name: string
  repo: string | null
  local_path: string | null
  served_model_name: string
  max_model_len: number | null
  notes: string | null
  created_at: string
  created_by: string
}

const checked = (problem: (v: string) => string | null) =>
  z.string().superRefine((v, ctx) => {
    const p = problem(v)
    if (p) ctx.addIssue({ code: 'custom', message: p })
  })

const pathProblem = (v: string) => {
  const p = modelFolderProblem(v)
  return p ? `${p} (an absolute path on the Sparks)` : null
}

const cardFields = z.object({
  repo: checked(modelIdProblem).optional(),
  local_path: checked(pathProblem).optional(),
  key: safeName().optional(),
  name: checked(displayNameProblem).optional(),
  served_model_name: checked(servedNameProblem).optional(),
  max_model_len: z.number().int().min(256).max(10_000_000).optional(),
  notes: z
    .string()
    .max(500)
    .regex(/^[^\u0000-\u0008\u000b-\u001f\u007f]*$/, 'must not contain control characters')
    .optional(),
})

/**
 * Unknown fields are ignored, not refused: an earlier client posts a whole ModelDef, whose vLLM
 * args and knobs belong in a recipe here. `ignoredFields` names them for the answer; every field
 * a card has is still validated, and nothing unknown is stored.
 */
export const customModelInput = cardFields.loose().superRefine((v, ctx) => {
  if ((v.repo === undefined) === (v.local_path === undefined))
    ctx.addIssue({
      code: 'custom',
      path: ['repo'],
      message: 'give exactly one of `repo` (Hugging Face `org/name`) or `local_path`',
    })
})

export type CustomModelInput = z.infer<typeof customModelInput>

const KNOWN_FIELDS = new Set(Object.keys(cardFields.shape))
const MAX_IGNORED_LISTED = 50

/** The fields of a posted entry that a card does not have (bounded, each name cut to 64 characters). */
export function ignoredFields(input: object): string[] {
  return Object.keys(input)
    .filter((k) => !KNOWN_FIELDS.has(k))
    .slice(0, MAX_IGNORED_LISTED)
    .map((k) => k.slice(0, 64))
}

export const IGNORED_NOTE =
  'These fields are not part of a model card and were ignored (nothing of them was stored): launch ' +
  'settings such as vLLM args live in recipes (see recipes/README.md).'

/** The last path segment as a key: `/data/models/my-finetune` → `my-finetune`. */
function keyForPath(path: string): string {
  const last = path.replace(/\/+$/, '').split('/').pop() ?? ''
  const key = last
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 128)
  return assertSafeName(key || 'local-model', 'key')
}

/** A validated input → the card as stored. Throws a 422 if a value slipped past the schema. */
export function toCustomModel(input: CustomModelInput, nowIso: string, actor: string): CustomModel {
  const repo = input.repo === undefined ? null : assertModelId(input.repo, 'repo')
  const localPath = input.local_path ?? null
  const key = assertSafeName(input.key ?? (repo ? keyForRepo(repo) : keyForPath(localPath as string)), 'key')
  const source = (repo ?? localPath) as string
  return {
    key,
    name: input.name ?? (repo ? (repo.split('/')[1] as string) : key),
    repo,
    local_path: localPath,
    served_model_name: input.served_model_name ?? source,
    max_model_len: input.max_model_len ?? null,
    notes: input.notes ?? null,
    created_at: nowIso,
    created_by: actor,
  }
}

/** Where custom cards are kept (SQLite in production, a Map in tests). */
export interface CustomModelStore {
  list(): CustomModel[]
  get(key: string): CustomModel | undefined
  put(model: CustomModel): void
  remove(key: string): boolean
  count(): number
}
