/**
 * `/rehydrate` over a stored map: each text's placeholders back to their values (exact tokens, then
 * tolerant forms of tokens this map holds; see domain/rehydrate), then the brackets `/scrub`
 * neutralised in the input put back. Only the tokens a text mentions are read from the store.
 * An exact placeholder in the context `/scrub` wrote it in gets the text it replaced there (its
 * surface form), so rehydrating a scrubbed text gives back the input exactly.
 */
import { restoreNeutralised } from '../placeholders/neutralise.ts'
import { rehydrate } from '../rehydrate/rehydrate.ts'
import { contextCounter, type SurfaceLookup } from '../rehydrate/surfaces.ts'
import { mapGone, mapNotFound } from './errors.ts'
import type { TokenStore } from './ports.ts'

export interface RestoredText {
  text: string
  unresolved: string[]
}

export interface Restorer {
  /** `json`: the text sits inside a JSON string (tool-call arguments); values are escaped for it. */
  restore(text: string, options?: { json?: boolean }): RestoredText
  readonly totals: { restored: number; unresolved: number }
}

/** A restorer over one live map; 404/410 at once for an unknown or expired handle. */
export function restorerFor(handle: string, store: TokenStore): Restorer {
  const state = store.status(handle)
  if (state === 'unknown') throw mapNotFound()
  if (state === 'expired') throw mapGone()
  const lookup = (tokens: readonly string[]) => store.valuesFor(handle, tokens)
  const surfaces = surfaceLookupFor(handle, store)
  // One numbering for all the texts of a request, as `/scrub` numbers over the items of a call.
  const contexts = contextCounter()
  const totals = { restored: 0, unresolved: 0 }
  return {
    restore(text, options = {}) {
      const r = rehydrate(text, lookup, { ...options, surfaces, contexts })
      totals.restored += r.restored
      totals.unresolved += r.unknown.length
      return { text: restoreNeutralised(r.text), unresolved: r.unknown }
    },
    totals,
  }
}

/** The map's surface forms, for `rehydrate` and `createStreamRehydrator` (option `surfaces`). */
export function surfaceLookupFor(handle: string, store: TokenStore): SurfaceLookup {
  return (occurrences) => store.surfacesAt(handle, occurrences)
}

export interface ChatMessage {
  content?: unknown
  tool_calls?: unknown
  [field: string]: unknown
}

/**
 * OpenAI chat messages with every text restored: string contents, `text` parts, and tool-call
 * arguments (a JSON string, so restored values are JSON-escaped). Other fields pass unchanged.
 */
export function restoreMessages(messages: readonly ChatMessage[], restorer: Restorer) {
  const unresolved = new Set<string>()
  const text = (s: string, json = false) => {
    const r = restorer.restore(s, { json })
    for (const t of r.unresolved) unresolved.add(t)
    return r.text
  }
  const restored = messages.map((m) => ({
    ...m,
    ...(m.content === undefined ? {} : { content: restoreContent(m.content, text) }),
    ...(Array.isArray(m.tool_calls) ? { tool_calls: m.tool_calls.map((c) => restoreToolCall(c, text)) } : {}),
  }))
  return { messages: restored, unresolved: [...unresolved] }
}

type TextFn = (s: string, json?: boolean) => string

function restoreContent(content: unknown, text: TextFn): unknown {
  if (typeof content === 'string') return text(content)
  if (!Array.isArray(content)) return content
  return content.map((part) =>
    isRecord(part) && part.type === 'text' && typeof part.text === 'string'
      ? { ...part, text: text(part.text) }
      : part,
  )
}

function restoreToolCall(call: unknown, text: TextFn): unknown {
  if (!isRecord(call) || !isRecord(call.function) || typeof call.function.arguments !== 'string') return call
  return { ...call, function: { ...call.function, arguments: text(call.function.arguments, true) } }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null
