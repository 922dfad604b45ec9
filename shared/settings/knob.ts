/**
 * One optional setting the dashboard's Settings page shows (a "knob"): the environment variable it
 * is, who reads it, how it is said to the owner, its schema, and whether a change applies at once
 * or only after the reading service restarts. The schema is the one the services' config.ts use
 * (they take it from here), so a knob is validated the same way on the page and at start.
 */
import type { z } from '@hono/zod-openapi'
import type { ServiceName } from '../topology.ts'

export interface KnobSpec<S extends z.ZodType = z.ZodType> {
  label: string
  /** One line of plain English: what it changes, for the owner. */
  help: string
  /** Every service that reads it; the first owns it (the page groups the knobs by it). */
  services: readonly ServiceName[]
  /** The services where a change applies without a restart; the others read it at start only. */
  liveIn?: readonly ServiceName[]
  /** Masked everywhere (`set`/`unset`), write-only on the page. */
  secret?: boolean
  schema: S
}

export interface Knob extends KnobSpec {
  name: string
  liveIn: readonly ServiceName[]
  secret: boolean
}

/** The services that must restart for a change of `knob` to reach them. */
export const restartNeededIn = (knob: Knob): ServiceName[] =>
  knob.services.filter((s) => !knob.liveIn.includes(s))
