/**
 * Why an engine stopped, from its log: the first line that names a known cause, in words an owner
 * can act on (docs/SWAP_API.md#why-a-swap-failed). A crash prints a `Traceback` and many frames
 * before the line that explains it, and a dying engine prints follow-on errors after it
 * (`EngineDeadError`, "died unexpectedly"), so causes are ranked: the most specific cause found
 * anywhere in the log wins, and within one cause its first line. Wording: docs/UPSTREAMS.md.
 */
import { cleanLine } from './log-line.ts'

export type FailureCause =
  | 'out of GPU memory'
  | 'unsupported architecture'
  | 'image not found'
  | 'weights not found'
  | 'port in use'
  | 'worker died'
  | 'engine core failed'

export interface ClassifiedFailure {
  cause: FailureCause
  /** The log line that names it, without the log header. */
  line: string
}

/** Most specific first: the root causes, then the engine's own reports of having died. */
const CAUSES: ReadonlyArray<[FailureCause, RegExp]> = [
  [
    'out of GPU memory',
    /OutOfMemoryError|CUDA out of memory|CUDA error: out of memory|Free memory on device .* is less than desired|No available memory for the cache blocks/i,
  ],
  ['unsupported architecture', /Model architectures? \[.*\] (?:are|is) not supported/i],
  ['image not found', /Unable to find image|pull access denied|manifest unknown|No such image/i],
  [
    'weights not found',
    /Repository Not Found|RepositoryNotFoundError|does not appear to have a file named|Entry Not Found|is not a local folder and is not a valid model identifier/i,
  ],
  ['port in use', /\[Errno 98\]|address already in use/i],
  ['worker died', /Ray\w*(?:Proc|Worker\w*)\b.*died unexpectedly|ActorDiedError/],
  ['engine core failed', /Engine core initialization failed|EngineCore failed to start|EngineDeadError/],
]

const MAX_LINE = 200
/** Lines that echo the whole configuration may contain any word: never a cause. */
const ENGINE_CONFIG = /vLLM API server version|non-default args:|Initializing a V1 LLM engine/

/** The message without the `(EngineCore_DP0 pid=…) ERROR 09-12 10:00:00 [core.py:708]` header. */
function messageOf(line: string): string {
  const text = cleanLine(line)
  const m = /\[[\w.]+:\d+\]\s+(.*)$/.exec(text)
  const message = (m ? m[1]! : text).trim()
  return message.length > MAX_LINE ? `${message.slice(0, MAX_LINE)}…` : message
}

export function classifyFailure(lines: Iterable<string>): ClassifiedFailure | null {
  let best: { rank: number; line: string } | null = null
  for (const line of lines) {
    if (ENGINE_CONFIG.test(line)) continue
    const rank = CAUSES.findIndex(([, re]) => re.test(line))
    if (rank >= 0 && (best === null || rank < best.rank)) best = { rank, line }
    if (best?.rank === 0) break
  }
  return best && { cause: CAUSES[best.rank]![0], line: messageOf(best.line) }
}

/** A log excerpt (or any text) split into lines and classified. */
export const classifyLog = (text: string | null | undefined): ClassifiedFailure | null =>
  text ? classifyFailure(text.split(/\r?\n/)) : null
