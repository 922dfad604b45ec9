/** The controller's swap API as the stand-in tests use it, and what vLLM itself lists. */
import type { StandinCluster } from './eugr-standin-bed.ts'
import { until } from './eugr-standin-bed.ts'

export interface Job {
  job_id: string
  outcome: string
  error: string | null
  finished_at: string | null
  warnings?: string[]
  transitions: { state: string; at: string }[]
  rollback: { recipe: string; outcome: string } | null
}

export function standinApi(cluster: () => StandinCluster) {
  const c = cluster
  const getJob = async (id: string) => (await c().fetch(`${c().url}/api/swap/${id}`)).json() as Promise<Job>
  const finished = (id: string) =>
    until(
      () => getJob(id),
      (j) => j.finished_at !== null,
      40_000,
    )
  /** What vLLM itself lists (not the controller's view of it). */
  const served = async () => {
    const res = await fetch(`http://127.0.0.1:${c().vllmPort}/v1/models`).catch(() => null)
    if (!res?.ok) return []
    return ((await res.json()) as { data: { id: string }[] }).data.map((m) => m.id)
  }
  const postSwap = (recipe: string) =>
    c().fetch(`${c().url}/api/swap`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ recipe }),
    })
  async function startSwap(recipe: string): Promise<Job> {
    const res = await postSwap(recipe)
    const body = await res.json()
    if (res.status !== 202) throw new Error(`swap to ${recipe}: ${res.status} ${JSON.stringify(body)}`)
    return body as Job
  }
  /** Swaps to `recipe` unless vLLM serves it already, and expects it ready: a test's starting point. */
  async function given(recipe: string, servedName: string) {
    if ((await served()).includes(servedName)) return
    const job = await finished((await startSwap(recipe)).job_id)
    if (job.outcome !== 'ready') throw new Error(`${recipe} did not load: ${JSON.stringify(job)}`)
  }
  async function chat(model: string) {
    const res = await c().fetch(`${c().url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hello' }], max_tokens: 4 }),
    })
    return { status: res.status, body: await res.json() }
  }
  return { getJob, finished, served, postSwap, startSwap, given, chat }
}
