/**
 * The local-LLM name pass of `/scrub` (`ner: "auto" | "qwen"`): the items' neutralised texts go to
 * the model (through the port; `adapters/llm-ner.ts` implements it over the cluster's chat proxy),
 * its entity strings come back, and every occurrence of each becomes a Detection. A name the model
 * found in one item is looked for in every item of the call, so a later mention the model missed
 * still gets the token. Any failure is a `NerUnavailableError`: the route then scrubs nothing.
 */
import { neutralise } from '../placeholders/neutralise.ts'
import { type LlmEntity, llmNameDetections } from './llm-names.ts'
import type { Detection } from './types.ts'

export type NerMode = 'auto' | 'qwen'

/** Why the pass could not run; said to the client and in logs (never a value from the text). */
export type NerReason =
  | 'disabled'
  | 'unreachable'
  | 'no_model'
  | 'switching'
  | 'wrong_model'
  | 'timeout'
  | 'busy'
  | 'failed'
  | 'malformed'

export class NerUnavailableError extends Error {
  constructor(
    readonly reason: NerReason,
    message: string,
  ) {
    super(message)
    this.name = 'NerUnavailableError'
  }
}

/** The local LLM as the pass sees it: one entity list per text, or a `NerUnavailableError`. */
export interface NameModel {
  entities(texts: readonly string[], options: { mode: NerMode; signal?: AbortSignal }): Promise<LlmEntity[][]>
}

/** Per item, the names the model found, as Detections over the neutralised text `/scrub` detects on. */
export async function findLlmNames(
  items: readonly { text: string }[],
  mode: NerMode,
  model: NameModel,
  signal?: AbortSignal,
): Promise<Detection[][]> {
  // Neutralising keeps every offset, and the model never sees a bracketed token it could echo.
  const texts = items.map((item) => neutralise(item.text))
  const found = await model.entities(texts, { mode, signal })
  if (found.length !== texts.length) throw new NerUnavailableError('failed', 'the name pass lost items')
  const all = found.flat()
  return texts.map((text) => llmNameDetections(text, all))
}
