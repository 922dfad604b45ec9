/**
 * Where the evaluation (and the search bench) finds a vector-search service:
 *
 * - `SEARCH_EVAL_URL` set: a service already running — vector-search itself, or the gateway in front
 *   of it (`npm run demo` serves both; `SEARCH_EVAL_API_KEY` if the gateway wants a key);
 * - otherwise a vector-search process started here (`services/vector-search/main.ts`, as the demo
 *   starts it) with a temporary data directory, pointed at `EMBED_URL` when set, else at the
 *   simulated bge-m3 server started in this process; on Qdrant when `QDRANT_URL` is set (and
 *   `QDRANT_API_KEY`), else on the embedded store.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { armInternalProof } from '../../shared/internal-auth/prove.ts'
import { loadInternalSecret } from '../../shared/internal-auth/secret.ts'
import { startBgeM3 } from '../spark-sim/embeddings/bge-m3.ts'
import { launchStack } from '../stack/launch.ts'

export interface Target {
  url: string
  /** The embeddings server the service calls, when known here (not for SEARCH_EVAL_URL). */
  embedUrl: string | null
  /** The service's process id when it was started here (for CPU time). */
  pid?: number
  /** What answers: for the printed header and the JSON. */
  describe: { service: string; embedder: string; store: string }
  stop(): Promise<void>
}

type Env = Record<string, string | undefined>

const blank = (v: string | undefined) => (v?.trim() ? v.trim() : undefined)

export async function startTarget(env: Env, extraEnv: Record<string, string> = {}): Promise<Target> {
  const running = blank(env.SEARCH_EVAL_URL)
  if (running)
    return {
      url: running,
      embedUrl: blank(env.EMBED_URL) ?? null,
      describe: { service: running, embedder: 'as that service is configured', store: 'as configured' },
      stop: async () => {},
    }
  const stops: (() => Promise<unknown>)[] = []
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s()
  }
  try {
    const embedUrl = blank(env.EMBED_URL)
    const sim = embedUrl ? null : await startBgeM3({ host: '127.0.0.1', port: 0 })
    if (sim) stops.push(() => sim.close())
    const dataDir = await mkdtemp(join(tmpdir(), 'search-eval-'))
    stops.push(() => rm(dataDir, { recursive: true, force: true }))
    const qdrantUrl = blank(env.QDRANT_URL)
    const stack = await launchStack({
      services: ['vector-search'],
      env: {
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        EMBED_URL: embedUrl ?? sim!.url,
        VECTOR_STORE: qdrantUrl ? 'qdrant' : 'embedded',
        SIMULATED_CLUSTER: sim ? 'true' : 'false',
        ...extraEnv,
      },
    })
    stops.push(() => stack.stop())
    // This process calls the service directly, as the gateway would: with the installation's proof.
    armInternalProof(await loadInternalSecret({ DATA_DIR: dataDir }), [
      new URL(stack.url('vector-search')).origin,
    ])
    return {
      url: stack.url('vector-search'),
      embedUrl: embedUrl ?? sim!.url,
      pid: stack.services['vector-search']?.process.pid,
      describe: {
        service: 'vector-search started here',
        embedder: embedUrl ?? 'simulated bge-m3 (text features, not the real model)',
        store: qdrantUrl ? `Qdrant at ${qdrantUrl}` : 'embedded store',
      },
      stop,
    }
  } catch (err) {
    await stop()
    throw err
  }
}
