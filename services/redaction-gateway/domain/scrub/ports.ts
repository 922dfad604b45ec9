import type { DetectContext, Detection } from '../detect/types.ts'

/** The detectors the pipeline runs; `detectors.ts` gives the real ones, tests inject failing ones. */
export interface Detectors {
  /** Tier-1 material (dropped or rejected) and Tier-2 bitcoin material, from one pass. */
  tier1AndCrypto(text: string, ctx: DetectContext): { tier1: Detection[]; crypto: Detection[] }
  known(text: string, ctx: DetectContext): Detection[]
  structured(text: string, ctx: DetectContext): Detection[]
  names(text: string, ctx: DetectContext): Detection[]
}

export type MapLiveness = 'live' | 'expired' | 'unknown'

/**
 * One placeholder occurrence in a text: its token, the text on each side, and how many earlier
 * occurrences of the text had the same token and sides (domain/rehydrate/surfaces.ts).
 */
export interface Occurrence {
  token: string
  before: string
  after: string
  nth: number
}

/** What the placeholder replaced at an occurrence, kept where it differs from the token's value. */
export interface SurfaceRecord extends Occurrence {
  surface: string
}

/** The part of the map store a scrub and a rehydration use (adapters/map-store.ts implements it). */
export interface TokenStore {
  create(taskId: string): { handle: string; expiresAt: Date }
  extend(handle: string): { state: 'live'; expiresAt: Date } | { state: 'expired' | 'unknown' }
  tokenFor(handle: string, type: string, value: string, dedupKey?: string): string
  /** The token and the value it stands for (the first stored: an equal value may be spelled otherwise). */
  entryFor(handle: string, type: string, value: string, dedupKey?: string): { token: string; value: string }
  /** A map's values of one type, read for mention propagation only (never answered). */
  valuesOfType(handle: string, type: string): string[]
  recordSurfaces(handle: string, records: SurfaceRecord[]): void
  surfacesAt(handle: string, occurrences: readonly Occurrence[]): (string | undefined)[]
  valuesFor(handle: string, tokens: readonly string[]): Map<string, string>
  status(handle: string): MapLiveness
  batch<T>(fn: () => T): T
}
