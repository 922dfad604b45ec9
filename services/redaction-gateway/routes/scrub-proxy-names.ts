/**
 * The local-LLM name pass for the scrub-proxy under `REDACTION_PROXY_NER=auto`, as `/scrub` runs it:
 * when it cannot run, the request is refused with 422 `ner_unavailable` and nothing is sent.
 */
import { findLlmNames, type NameModel, NerUnavailableError } from '../domain/detect/llm-names-pass.ts'
import type { Detection } from '../domain/detect/types.ts'
import { nerUnavailable } from '../domain/scrub/errors.ts'

export async function localNames(
  items: readonly { text: string }[],
  model: NameModel | undefined,
  signal: AbortSignal,
): Promise<Detection[][]> {
  if (!model) throw nerUnavailable('disabled', 'no local LLM is configured')
  try {
    return await findLlmNames(items, 'auto', model, signal)
  } catch (err) {
    if (err instanceof NerUnavailableError) throw nerUnavailable(err.reason, err.message)
    throw err
  }
}
