/**
 * The redaction gateway's wire contract: the earlier version's `POST /scrub` and `POST /rehydrate`
 * (the CRM calls them and switches backends with no app change, so no field may change), plus the
 * additions documented in docs/COMPATIBILITY.md. Error bodies are `{"error": "<code>", ...}`.
 */
import { z } from '@hono/zod-openapi'

/** Items carry the caller's id back unchanged: a string or a number, as the CRM sent it. */
const ItemId = z.union([z.string().max(200), z.number()])

export const TextItem = z.object({ id: ItemId, text: z.string() })

export const KnownEntitiesBody = z
  .object({
    persons: z.array(z.string()).optional(),
    orgs: z.array(z.string()).optional(),
    funds: z.array(z.string()).optional(),
    emails: z.array(z.string()).optional(),
    locations: z.array(z.string()).optional(),
  })
  .openapi('KnownEntities')

export const ScrubRequest = z
  .object({
    task_id: z.string().min(1).max(200),
    actor: z.string().max(200).optional(),
    items: z.array(TextItem),
    known_entities: KnownEntitiesBody.optional(),
    tier1_action: z.enum(['drop', 'reject']).default('drop'),
    bucket: z
      .object({
        amounts: z.boolean().optional(),
        dates: z.union([z.boolean(), z.enum(['month', 'quarter'])]).optional(),
      })
      .optional(),
    /** `auto` and `qwen` add the local-LLM name pass; when it cannot run: 422 `ner_unavailable`. */
    ner: z.enum(['auto', 'rules_only', 'qwen']).default('auto'),
    map_handle: z.string().min(1).max(200).optional(),
  })
  .openapi('ScrubRequest')

/**
 * A phrase that can identify someone without naming them, flagged (not changed) in the scrubbed
 * text: `span` is [start, end) in UTF-16 units of that item's `scrubbed_text`; `kind` is an addition.
 */
export const DescriptiveFlag = z.object({
  item: ItemId,
  span: z.tuple([z.number().int(), z.number().int()]),
  action: z.string(),
  kind: z.enum(['role', 'age', 'relation', 'unique']).optional(),
})

export const ScrubResponse = z
  .object({
    task_id: z.string(),
    map_handle: z.string(),
    items: z.array(z.object({ id: ItemId, scrubbed_text: z.string(), tokens_used: z.array(z.string()) })),
    stats: z.object({
      tier1_dropped: z.number().int(),
      tier2_tokenized: z.number().int(),
      distinct_entities: z.number().int(),
      descriptive_flags: z.array(DescriptiveFlag),
    }),
    expires_at: z.string(),
  })
  .openapi('ScrubResponse')

export const Tier1Rejected = z
  .object({
    error: z.literal('tier1_detected'),
    spans: z.array(z.object({ item: ItemId, kinds: z.array(z.string()) })),
  })
  .openapi('Tier1Rejected')

/** `ner: auto|qwen` when the local-LLM name pass cannot run: nothing was scrubbed or stored. */
export const NerUnavailable = z
  .object({
    error: z.literal('ner_unavailable'),
    detail: z.string(),
    reason: z
      .string()
      .optional()
      .openapi({
        description:
          '`disabled`, `unreachable`, `no_model`, `switching`, `wrong_model` (ner "qwen" without a Qwen ' +
          'model), `timeout`, `busy`, `failed` or `malformed` (the model answered outside the schema)',
      }),
  })
  .openapi('NerUnavailable')

/** An OpenAI chat message: string or `text`-part contents and tool-call arguments are rehydrated. */
export const ChatMessageBody = z
  .object({ role: z.string(), content: z.unknown().optional(), tool_calls: z.array(z.unknown()).optional() })
  .passthrough()

export const RehydrateRequest = z
  .object({
    task_id: z.string().max(200).optional(),
    map_handle: z.string().min(1).max(200),
    items: z.array(TextItem).optional(),
    /** Convenience form: one text instead of items (answered as `text` + `unresolved`). */
    text: z.string().optional(),
    /** OpenAI form: chat messages (answered as `messages` + `unresolved`). */
    messages: z.array(ChatMessageBody).optional(),
  })
  .refine((b) => [b.items, b.text, b.messages].filter((v) => v !== undefined).length === 1, {
    message: 'send exactly one of `items`, `text` or `messages`',
  })
  .openapi('RehydrateRequest')

export const RehydrateResponse = z
  .object({
    task_id: z.string().optional(),
    map_handle: z.string(),
    items: z.array(z.object({ id: ItemId, text: z.string(), unresolved: z.array(z.string()) })).optional(),
    text: z.string().optional(),
    messages: z.array(ChatMessageBody).optional(),
    unresolved: z.array(z.string()).optional(),
    stats: z.object({ restored: z.number().int(), unresolved: z.number().int() }),
  })
  .openapi('RehydrateResponse')

/** The map of a streamed rehydration, and of a scrub-proxy conversation (sent by the caller, answered back). */
export const MAP_HANDLE_HEADER = 'X-Redaction-Map'
/** Beside a scrub-proxy answer's handle: when that map expires (ISO 8601) unless used again. */
export const MAP_EXPIRES_HEADER = 'X-Redaction-Map-Expires-At'

/**
 * The scrub-proxy's request: an OpenAI chat-completions body. Only `messages` is read here; every
 * other field goes to the cloud endpoint as sent.
 */
export const ScrubProxyRequest = z
  .object({
    model: z.string().optional(),
    messages: z.array(ChatMessageBody).min(1),
    stream: z.boolean().optional(),
  })
  .passthrough()
  .openapi('ScrubProxyChatRequest')

/** Counts by placeholder type or Tier-1 kind; names only, never a value. */
const CountsByName = z.record(z.string(), z.number().int())

/** One hour of `/scrub` answers: how many calls, how many placeholders per type, Tier-1 spans per kind. */
export const RedactionStatsHour = z.object({
  hour: z.string().openapi({ description: "The hour's start (ISO 8601, UTC)" }),
  scrubs: z.number().int(),
  types: CountsByName,
  tier1: CountsByName,
})

/** `GET /api/redaction/stats`: counts per hour over the last `hours` hours (hours without a scrub left out). */
export const RedactionStats = z
  .object({
    hours: z.number().int(),
    bucket_s: z.number().int(),
    from: z.string(),
    to: z.string(),
    buckets: z.array(RedactionStatsHour),
    totals: RedactionStatsHour.omit({ hour: true }),
  })
  .openapi('RedactionStats')
export type RedactionStats = z.infer<typeof RedactionStats>
