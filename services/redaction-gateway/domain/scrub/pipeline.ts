/**
 * One `/scrub` call, pure orchestration over injected detectors and the token store:
 * neutralise → detect (Tier-1, secrets, crypto, known, structured, names) → resolve overlaps →
 * propagate mentions (across all items, and the people the map already holds) → Tier-1 policy →
 * bucket → tokens from the store and surface forms, in ONE transaction → text.
 * It fails closed: a detector error or an input over the limits is an error, never unscrubbed
 * text, and nothing is stored before every item has been detected (an error inside the store's
 * transaction rolls back everything this call wrote).
 */
import { ownersOf, propagate } from '../detect/propagate.ts'
import { resolve } from '../detect/resolve.ts'
import type { Detection, EntityType, KnownEntities, Tier1Kind } from '../detect/types.ts'
import type { DateBucket } from '../placeholders/bucket-date.ts'
import { neutralise } from '../placeholders/neutralise.ts'
import { bucketed, type ScrubOptions, scrubText } from '../placeholders/scrub.ts'
import { keyOf, tokenMapFrom } from '../placeholders/tokens.ts'
import {
  type ItemId,
  mapGone,
  mapNotFound,
  nerUnavailable,
  scrubFailed,
  tier1Detected,
  tooLarge,
} from './errors.ts'
import type { Detectors, TokenStore } from './ports.ts'
import { surfaceRecords } from './surfaces.ts'

export interface ScrubInput {
  taskId: string
  items: { id: ItemId; text: string }[]
  knownEntities?: KnownEntities
  tier1Action: 'drop' | 'reject'
  bucket?: { amounts?: boolean; dates?: boolean | DateBucket }
  ner: 'auto' | 'rules_only' | 'qwen'
  mapHandle?: string
  /** Per item, the names the local-LLM pass found (`ner: auto|qwen`); the route runs that pass first. */
  modelNames?: Detection[][]
}

export interface ScrubLimits {
  maxItems: number
  maxItemChars: number
}

export interface ScrubOutput {
  mapHandle: string
  expiresAt: Date
  items: { id: ItemId; scrubbedText: string; tokensUsed: string[] }[]
  tier1Dropped: number
  tier2Tokenized: number
  distinctEntities: number
  /** Counts per entity type, for logs and metrics (never values). */
  typeCounts: Partial<Record<EntityType, number>>
  /** Tier-1 spans per kind (dropped), for the same counts. */
  tier1Kinds: Partial<Record<Tier1Kind, number>>
}

export interface ScrubDeps {
  detectors: Detectors
  store: TokenStore
  limits: ScrubLimits
}

export function scrub(input: ScrubInput, deps: ScrubDeps): ScrubOutput {
  // The route runs the local-LLM pass before this: without its answer, nothing is scrubbed.
  if (input.ner !== 'rules_only' && !input.modelNames) throw nerUnavailable()
  checkLimits(input, deps.limits)
  if (input.mapHandle) requireLive(deps.store.status(input.mapHandle))
  const resolved = input.items.map((item, i) =>
    detectItem(item.text, input.knownEntities, deps.detectors, input.modelNames?.[i]),
  )
  const found = propagateAcross(input, resolved, deps.store)
  if (input.tier1Action === 'reject') rejectTier1(input.items, found)
  const options: ScrubOptions = { bucket: input.bucket }
  const wanted = found.map((detections) => detections.filter((d) => needsToken(d, options)))
  const { handle, expiresAt, items } = deps.store.batch(() => {
    const map = openMap(input, deps.store)
    // One store read per distinct value: a name mentioned 200 times is looked up (and decrypted) once.
    const byKey = new Map<string, { token: string; value: string }>()
    const entryOf = (d: Detection) => {
      const key = keyOf(d.type!, d.value)
      const known = byKey.get(key)
      if (known) return known
      const entry = deps.store.entryFor(map.handle, d.type!, d.value, key)
      byKey.set(key, entry)
      return entry
    }
    const entries = wanted.map((ds) => ds.map(entryOf))
    const items = input.items.map((item, i) => {
      const minted = wanted[i]!.map((d, j) => ({ token: entries[i]![j]!.token, value: d.value }))
      const out = scrubText(item.text, found[i]!, tokenMapFrom(minted), options)
      // A token the store did not mint would rehydrate to nothing: refuse rather than answer it.
      const known = new Set(minted.map((m) => m.token))
      if (out.tokensUsed.some((t) => !known.has(t))) throw scrubFailed(new Error('token outside the map'))
      return { id: item.id, out }
    })
    const values = new Map(entries.flat().map((e) => [e.token, e.value]))
    deps.store.recordSurfaces(map.handle, surfaceRecords(items, values))
    return { ...map, items }
  })
  return summarise(items, handle, expiresAt, wanted, found)
}

/**
 * Mentions propagate across the whole call: a person named in full in one item gives its token to
 * "Sarah" or "Ms. Johnson" in another, and so do the people an extended map already holds (read
 * here for that only, never answered). A part two of them share stays ambiguous.
 */
function propagateAcross(input: ScrubInput, resolved: Detection[][], store: TokenStore): Detection[][] {
  const people = resolved.flatMap((ds) => ds.filter((d) => d.type === 'PERSON').map((d) => d.value))
  if (input.mapHandle) people.push(...store.valuesOfType(input.mapHandle, 'PERSON'))
  const owners = ownersOf(people)
  return input.items.map((item, i) => {
    try {
      return propagate(neutralise(item.text), resolved[i]!, owners)
    } catch (err) {
      throw scrubFailed(err)
    }
  })
}

function checkLimits(input: ScrubInput, limits: ScrubLimits) {
  if (input.items.length > limits.maxItems)
    throw tooLarge(`${input.items.length} items is over the limit of ${limits.maxItems}`)
  const long = input.items.find((item) => item.text.length > limits.maxItemChars)
  if (long)
    throw tooLarge(`item ${JSON.stringify(long.id)} is over the limit of ${limits.maxItemChars} characters`)
}

function requireLive(state: 'live' | 'expired' | 'unknown') {
  if (state === 'unknown') throw mapNotFound()
  if (state === 'expired') throw mapGone()
}

function openMap(input: ScrubInput, store: TokenStore): { handle: string; expiresAt: Date } {
  if (!input.mapHandle) return store.create(input.taskId)
  const extended = store.extend(input.mapHandle)
  if (extended.state !== 'live') return requireLive(extended.state) as never
  return { handle: input.mapHandle, expiresAt: extended.expiresAt }
}

/** Resolved detections over the neutralised text (neutralising keeps every offset); not yet propagated. */
export function detectItem(
  text: string,
  knownEntities: KnownEntities | undefined,
  detectors: Detectors,
  modelNames: readonly Detection[] = [],
) {
  const source = neutralise(text)
  const ctx = { knownEntities }
  try {
    const { tier1, crypto } = detectors.tier1AndCrypto(source, ctx)
    const all = [
      ...tier1,
      ...crypto,
      ...detectors.known(source, ctx),
      ...detectors.structured(source, ctx),
      ...detectors.names(source, ctx),
      ...modelNames,
    ]
    return resolve(source, all)
  } catch (err) {
    throw scrubFailed(err)
  }
}

function rejectTier1(items: ScrubInput['items'], found: Detection[][]) {
  const spans = items
    .map((item, i) => ({ item: item.id, kinds: tier1Kinds(found[i]!) }))
    .filter((span) => span.kinds.length > 0)
  if (spans.length > 0) throw tier1Detected(spans)
}

function tier1Kinds(detections: Detection[]): Tier1Kind[] {
  const kinds = new Set<Tier1Kind>()
  for (const d of detections) if (d.tier === 1 && d.kind) kinds.add(d.kind)
  return [...kinds].sort()
}

/** Tier-2 spans that become tokens: not Tier-1 (dropped) and not coarsened to a bucket. */
function needsToken(d: Detection, options: ScrubOptions): d is Detection & { type: EntityType } {
  return d.tier === 2 && d.type !== null && bucketed(d, options) === null
}

function summarise(
  items: { id: ItemId; out: ReturnType<typeof scrubText> }[],
  mapHandle: string,
  expiresAt: Date,
  tokenised: Detection[][],
  found: Detection[][],
): ScrubOutput {
  const distinct = new Set(items.flatMap(({ out }) => out.tokensUsed))
  const typeCounts: Partial<Record<EntityType, number>> = {}
  for (const d of tokenised.flat()) typeCounts[d.type!] = (typeCounts[d.type!] ?? 0) + 1
  const tier1Kinds: Partial<Record<Tier1Kind, number>> = {}
  for (const d of found.flat()) if (d.tier === 1 && d.kind) tier1Kinds[d.kind] = (tier1Kinds[d.kind] ?? 0) + 1
  return {
    mapHandle,
    expiresAt,
    items: items.map(({ id, out }) => ({ id, scrubbedText: out.text, tokensUsed: out.tokensUsed })),
    tier1Dropped: items.reduce((n, { out }) => n + out.tier1Dropped, 0),
    tier2Tokenized: items.reduce((n, { out }) => n + out.tier2Tokenized, 0),
    distinctEntities: distinct.size,
    typeCounts,
    tier1Kinds,
  }
}
