/**
 * Which patch goes on which service, node and container, with every command filled in. A patch
 * naming a service the inventory does not have, one hidden by DISABLED_SERVICES, or one that needs
 * a value the service does not set (a memory cap) is skipped with the reason, never guessed at.
 */
import type { OpsCommand, ServiceContainerSpec } from '../../../../../shared/contracts/swap-controller.ts'
import { isSafeName } from '../../../../../shared/names.ts'
import { buildCommand } from '../../../../../shared/ssh/quote.ts'
import type { Patch } from './load.ts'
import { fillPlaceholders, type Placeholder } from './schema.ts'

export type CheckExpectation =
  | { kind: 'stdout'; value: string }
  | { kind: 'matches'; pattern: RegExp }
  | { kind: 'exit_code' }

export interface PlannedStep {
  description: string
  command: OpsCommand
}

export interface PlannedCheck extends PlannedStep {
  expect: CheckExpectation
}

/** One patch on one service. */
export interface PatchTarget {
  id: string
  version: number
  description: string
  service: string
  node: string
  container: string
  apply: PlannedStep[]
  check: PlannedCheck[]
}

export interface SkippedTarget {
  id: string
  service: string
  reason: string
}

export interface PatchPlan {
  targets: PatchTarget[]
  skipped: SkippedTarget[]
}

export const opsCommand = (node: string, argv: readonly string[]): OpsCommand => ({
  node,
  argv: [...argv],
  display: buildCommand(argv),
})

function skipReason(patch: Patch, name: string, spec: ServiceContainerSpec | undefined): string | null {
  if (!spec) return `there is no service named ${name} in the inventory, so the patch has nowhere to go`
  if (spec.disabled) return `${name} is hidden by DISABLED_SERVICES`
  if (!isSafeName(spec.node) || !isSafeName(spec.container))
    return `${name}'s node or container name is not a safe name, so no command is built for it`
  if (patch.placeholders.has('memory_cap_bytes') && spec.memory_cap_bytes === null)
    return `${name} has no memory cap set in the inventory, and the patch needs one`
  return null
}

function target(patch: Patch, spec: ServiceContainerSpec): PatchTarget {
  const values: Record<Placeholder, string> = {
    container: spec.container,
    memory_cap_bytes: String(spec.memory_cap_bytes ?? ''),
  }
  const command = (argv: readonly string[]) =>
    opsCommand(
      spec.node,
      argv.map((w) => fillPlaceholders(w, values)),
    )
  const expectation = (step: Patch['check'][number]): CheckExpectation => {
    if (step.stdout !== undefined)
      return { kind: 'stdout', value: fillPlaceholders(step.stdout, values).trim() }
    if (step.matches !== undefined) return { kind: 'matches', pattern: new RegExp(step.matches) }
    return { kind: 'exit_code' }
  }
  return {
    id: patch.id,
    version: patch.version,
    description: patch.description,
    service: spec.name,
    node: spec.node,
    container: spec.container,
    apply: patch.apply.map((s) => ({ description: s.description, command: command(s.argv) })),
    check: patch.check.map((s) => ({
      description: s.description,
      command: command(s.argv),
      expect: expectation(s),
    })),
  }
}

/** Patches in id order, each on its services in the order the file names them. */
export function planPatches(patches: readonly Patch[], specs: readonly ServiceContainerSpec[]): PatchPlan {
  const byName = new Map(specs.map((s) => [s.name, s]))
  const plan: PatchPlan = { targets: [], skipped: [] }
  for (const patch of [...patches].sort((a, b) => a.id.localeCompare(b.id)))
    for (const name of patch.services) {
      const spec = byName.get(name)
      const reason = skipReason(patch, name, spec)
      if (reason || !spec) plan.skipped.push({ id: patch.id, service: name, reason: reason ?? '' })
      else plan.targets.push(target(patch, spec))
    }
  return plan
}
