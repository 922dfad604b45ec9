/**
 * What an action shows the owner when it is done (the SDK's version-1 action result, restated
 * structurally so the pure parts of the actions need no SDK import), and the one error an
 * action's `run` throws: a plain sentence StartOS shows as it is.
 */

interface ShownValue {
  type: 'single'
  value: string
  copyable: boolean
  qr: boolean
  masked: boolean
}

export type ShownMember = { name: string; description: string | null } & (
  | ShownValue
  | { type: 'group'; value: ShownMember[] }
)

export interface Shown {
  version: '1'
  title: string
  message: string | null
  result: ShownValue | { type: 'group'; value: ShownMember[] } | null
}

/** Refused input or a failed step, said as one or more sentences for the owner. */
export class ActionRefusal extends Error {
  override name = 'ActionRefusal'
}

function shownValue(value: string, { copyable = false, masked = false } = {}): ShownValue {
  return { type: 'single', value, copyable, qr: false, masked }
}

export function member(
  name: string,
  value: string,
  { description = null as string | null, copyable = false, masked = false } = {},
): ShownMember {
  return { name, description, ...shownValue(value, { copyable, masked }) }
}

export function group(name: string, value: ShownMember[], description: string | null = null): ShownMember {
  return { name, description, type: 'group', value }
}
