/**
 * Reads of the operations page, each part on its own: a part that fails carries the problem in
 * words (controller not answering, answer not matching the contract, not offered yet) and never
 * fails the page. Every read has a deadline, so a controller that accepts but never answers costs
 * the page seconds, not a hang.
 */
import { withBudget } from '../../shared/abort.ts'
import type { OpsServicesAnswer, OpsSource, PatchesAnswer, SweepResult } from './source.ts'
import { type ReadProblem, readProblem } from './words-errors.ts'

/** The patch list runs every check over SSH on the Sparks: it gets longer than the container list. */
export const SERVICES_BUDGET_MS = 8000
export const PATCHES_BUDGET_MS = 20_000

export type Part<T> = { ok: true; value: T } | { ok: false; problem: ReadProblem }

export interface OpsData {
  services: Part<OpsServicesAnswer>
  patches: Part<PatchesAnswer> | null
  sweeps: Part<SweepResult[]>
  now: Date
}

export async function readPart<T>(
  what: string,
  p: (signal: AbortSignal) => Promise<T>,
  signal: AbortSignal | undefined,
  budgetMs: number,
  onFailure?: (what: string, err: unknown) => void,
): Promise<Part<T>> {
  try {
    return { ok: true, value: await p(withBudget(signal, budgetMs)) }
  } catch (err) {
    onFailure?.(what, err)
    return { ok: false, problem: readProblem(err, what) }
  }
}

export interface ReadOptions {
  now: Date
  signal?: AbortSignal
  onFailure?: (what: string, err: unknown) => void
  /** The patch checks run commands on the Sparks: the live refresh leaves them out. */
  withPatches?: boolean
}

export async function readOps(ops: OpsSource, o: ReadOptions): Promise<OpsData> {
  const [services, patches, sweeps] = await Promise.all([
    readServices(ops, o),
    o.withPatches === false ? null : readPatches(ops, o),
    readSweeps(ops, o),
  ])
  return { services, patches, sweeps, now: o.now }
}

export const readServices = (ops: OpsSource, o: ReadOptions) =>
  readPart('the service containers', (s) => ops.services(s), o.signal, SERVICES_BUDGET_MS, o.onFailure)

export const readPatches = (ops: OpsSource, o: ReadOptions) =>
  readPart('the patches', (s) => ops.patches(s), o.signal, PATCHES_BUDGET_MS, o.onFailure)

export const readSweeps = (ops: OpsSource, o: ReadOptions) =>
  readPart('the concurrency sweeps', (s) => ops.sweeps(s), o.signal, SERVICES_BUDGET_MS, o.onFailure)
