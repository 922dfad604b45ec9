/**
 * "Re-apply container patches": asks the swap-controller (the one that knows the patches, the
 * inventory and the Sparks, and audits every run as `ops.patch.apply`) over its loopback port with
 * the installation's internal proof — a dry run first, the change only after an explicit
 * confirmation — and says per patch and service what happened. Pure: no SDK import.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  type PatchApplyAnswer,
  PatchApplyAnswer as PatchApplyAnswerSchema,
  type PatchApplyRequest,
  type PatchApplyResult,
} from '../../../shared/contracts/swap-controller/ops.ts'
import { PROOF_HEADER, signProof } from '../../../shared/internal-auth/proof.ts'
import { SECRET_FILE } from '../../../shared/internal-auth/secret.ts'
import { SERVICES } from '../../../shared/topology.ts'
import { ActionRefusal, member, type Shown, type ShownMember } from './result.ts'

/** The patch files in the repository's patches/ folder (a test keeps this list equal to it). */
export const PATCH_IDS = ['parakeet-memory-cap', 'speech-restart-policy'] as const

export const PATCH_APPLY_PATH = '/api/ops/patches/apply'
/** The dry run runs each patch's check on its node; a few SSH commands. */
export const PREVIEW_TIMEOUT_MS = 60_000
/** As the dashboard's: giving up sooner would report a failure for a run that then completes. */
export const APPLY_TIMEOUT_MS = 180_000
/** Who the controller's audit log names. */
export const ACTOR = 'startos-action'

export interface PatchesInput {
  ids: readonly string[]
  mode: 'preview' | 'apply'
  confirm: boolean
}

/** The request body; refuses an apply the owner has not confirmed. */
export function patchRequestBody(input: PatchesInput): PatchApplyRequest {
  const unknown = input.ids.filter((id) => !(PATCH_IDS as readonly string[]).includes(id))
  if (unknown.length) throw new ActionRefusal(`No patch is called ${unknown.join(', ')}.`)
  const ids = input.ids.length ? { ids: [...input.ids] } : {}
  if (input.mode === 'preview') return { dry_run: true, ...ids }
  if (!input.confirm)
    throw new ActionRefusal(
      'Nothing was changed: to apply, also switch on "I have read the preview". Run a preview first to see the exact commands.',
    )
  return { confirm: true, ...ids }
}

export interface PatchCallOptions {
  dataDir: string
  body: PatchApplyRequest
  timeoutMs: number
  /** Default: the swap-controller's port on the loopback address. */
  origin?: string
  fetchImpl?: typeof fetch
}

async function internalSecret(dataDir: string): Promise<Buffer> {
  try {
    const text = (await readFile(join(dataDir, SECRET_FILE), 'utf8')).trim()
    if (text.length >= 32) return Buffer.from(text, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  throw new ActionRefusal(
    'Spark Control has not finished its first start (its internal secret is missing). Start it, wait until it is running, then try again.',
  )
}

/** POSTs the body with a fresh proof; the answer checked against the contract. */
export async function callPatchApply(options: PatchCallOptions): Promise<PatchApplyAnswer> {
  const secret = await internalSecret(options.dataDir)
  const origin = options.origin ?? `http://127.0.0.1:${SERVICES['swap-controller'].port}`
  const seconds = Math.ceil(options.timeoutMs / 1000)
  let response: Response
  try {
    response = await (options.fetchImpl ?? fetch)(`${origin}${PATCH_APPLY_PATH}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [PROOF_HEADER]: signProof(secret, 'POST', PATCH_APPLY_PATH),
        'x-spark-actor': ACTOR,
      },
      body: JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs),
    })
  } catch (err) {
    if ((err as Error).name === 'TimeoutError')
      throw new ActionRefusal(
        `The swap-controller did not answer within ${seconds === 1 ? '1 second' : `${seconds} seconds`}. The patches may still be applying: look at the dashboard's Ops page before trying again.`,
      )
    throw new ActionRefusal(
      'The swap-controller did not answer. Is Spark Control running? Try again once it is.',
    )
  }
  const text = await response.text()
  if (!response.ok) throw new ActionRefusal(refusalOf(response.status, text))
  const parsed = PatchApplyAnswerSchema.safeParse(safeJson(text))
  if (!parsed.success)
    throw new ActionRefusal('The swap-controller answered in a shape this package does not know.')
  return parsed.data
}

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

/** A problem+json answer as a sentence: its `detail`, else what the status means here. */
function refusalOf(status: number, text: string): string {
  const body = safeJson(text) as { detail?: unknown; title?: unknown } | null
  const detail =
    typeof body?.detail === 'string' ? body.detail : typeof body?.title === 'string' ? body.title : ''
  const why: Record<number, string> = {
    401: 'The swap-controller did not accept the package’s internal proof.',
    409: 'A model switch or another patch run is under way on a patch’s Spark; try again when it is over.',
    422: 'The swap-controller refused the request.',
    503: 'The swap-controller cannot read its patches or reach the Sparks right now.',
  }
  const lead = why[status] ?? `The swap-controller answered with status ${status}.`
  return detail ? `${lead} It said: ${detail.replace(/\.?$/, '.')}` : lead
}

function resultMember(r: PatchApplyResult, dryRun: boolean): ShownMember {
  const name = `${r.id} on ${r.service} (${r.node})`
  const commands = r.steps.map((s) => `${s.kind} on ${s.command.node}: ${s.command.display}`)
  if (dryRun) {
    const value = r.skipped ? 'Already applied: nothing would run.' : commands.join('\n')
    return member(name, value, { description: r.summary ?? `now ${r.before}`, copyable: !r.skipped })
  }
  const failed = r.steps.find((s) => s.ok === false)
  const outcome = r.skipped
    ? 'Already applied: nothing ran.'
    : r.applied
      ? `Applied (was ${r.before}, now ${r.after ?? 'unknown'}).`
      : `Not applied (now ${r.after ?? 'unknown'})${failed ? `: ${failed.kind} step failed — ${failed.detail ?? `exit code ${failed.exit_code}`}` : ''}.`
  return member(name, outcome, { description: r.summary ?? null })
}

export function patchesShown(answer: PatchApplyAnswer): Shown {
  const skipped = (answer.skipped ?? []).map((s) =>
    member(`${s.id} on ${s.service}`, `Skipped: ${s.reason}`, { description: null }),
  )
  const members = [...answer.results.map((r) => resultMember(r, answer.dry_run)), ...skipped]
  const todo = answer.results.filter((r) => !r.skipped).length
  const message = answer.dry_run
    ? todo === 0
      ? 'Preview: every selected patch is already applied; nothing would run.'
      : `Preview: these exact commands would run on the Sparks (nothing has been changed). To apply them, run this action again with "Apply" and "I have read the preview" switched on.`
    : answer.ok
      ? 'Every selected patch is applied. The run is in the swap-controller’s audit log.'
      : 'Some patches are not applied; see each one below. The run is in the swap-controller’s audit log.'
  return {
    version: '1',
    title: answer.dry_run ? 'Container patches: preview' : 'Container patches: applied',
    message,
    result: members.length ? { type: 'group', value: members } : null,
  }
}
