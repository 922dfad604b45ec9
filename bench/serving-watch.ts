/**
 * The simulator's side of the fault mix, read in this process: which model is served at every
 * moment (a vLLM whose state is `ready` and whose served name is one the controller asks for), so
 * the time without a served model is measured where it happens, not as the controller reports it.
 * Also: when each vLLM started and became ready, and when a recipe file on the head was rewritten.
 */
import { sleep } from '../shared/abort.ts'
import type { Demo } from '../tools/demo-stack.ts'
import { now } from './swap-events.ts'

interface Change {
  at: number
  /** The served name of the model that is ready, or null while none is. */
  serving: string | null
}

export interface VllmLoad {
  servedName: string
  startedAt: number
  readyAt: number | null
}

export type ServingWatch = ReturnType<typeof watchServing>

export function watchServing(demo: Demo, pollMs = 1) {
  /**
   * Names the controller serves its recipes under. A vLLM that is ready under another name (a lost
   * alias) serves nobody: clients and the controller ask for the alias.
   */
  const accepted = new Set<string>()
  const changes: Change[] = []
  const loads = new Map<string, VllmLoad>()
  const recipeWrites = new Map<string, number>()
  const watchedRecipes = new Set<string>()
  let current: string | null | undefined
  let stopped = false

  const poll = () => {
    const t = now()
    let serving: string | null = null
    for (const n of demo.sim.nodes.nodes) {
      for (const c of n.containers()) {
        if (!c.vllm || c.vllm.state === 'exited') continue
        const key = `${n.name}/${c.id}`
        const load = loads.get(key) ?? { servedName: c.vllm.servedModelName, startedAt: t, readyAt: null }
        loads.set(key, load)
        if (c.vllm.state !== 'ready') continue
        load.readyAt ??= t
        if (accepted.has(c.vllm.servedModelName)) serving ??= c.vllm.servedModelName
      }
    }
    if (serving !== current) changes.push({ at: t, serving })
    current = serving
    const head = demo.sim.nodes.node('spark-1')
    for (const key of watchedRecipes)
      if (!recipeWrites.has(key) && head.recipeFileState(key) === 'written') recipeWrites.set(key, t)
  }
  const loop = (async () => {
    while (!stopped) {
      poll()
      await sleep(pollMs)
    }
  })()

  const servingAt = (t: number) => {
    let s: string | null = null
    for (const c of changes) {
      if (c.at > t) break
      s = c.serving
    }
    return s
  }

  return {
    accept: (servedName: string) => accepted.add(servedName),
    serving: () => current ?? null,
    /** Milliseconds in [from, to] during which no accepted model was ready. */
    downMs(from: number, to: number): number {
      let down = 0
      let mark = from
      let serving = servingAt(from)
      for (const c of changes) {
        if (c.at <= from || c.at > to) continue
        if (serving === null) down += c.at - mark
        mark = c.at
        serving = c.serving
      }
      return serving === null ? down + (to - mark) : down
    },
    /** The first moment after `from` at which nothing was served, or null. */
    firstDownAfter: (from: number) =>
      servingAt(from) === null ? from : (changes.find((c) => c.at > from && c.serving === null)?.at ?? null),
    /** Resolves with the moment a model is served (at once if one is), or null after `timeoutMs`. */
    async servedWithin(timeoutMs: number): Promise<number | null> {
      const deadline = now() + timeoutMs
      while (now() < deadline) {
        if (current) return changes.at(-1)?.at ?? now()
        await sleep(pollMs * 5)
      }
      return null
    },
    /** The first vLLM serving `servedName` that started at or after `since`. */
    loadOf: (servedName: string, since: number) =>
      [...loads.values()]
        .filter((l) => l.servedName === servedName && l.startedAt >= since)
        .sort((a, b) => a.startedAt - b.startedAt)[0],
    /** From now on, notes when spark-1's `recipes/<key>.yaml` is next written over SSH. */
    watchRecipe(key: string) {
      recipeWrites.delete(key)
      watchedRecipes.add(key)
    },
    recipeWrittenAt: (key: string) => recipeWrites.get(key) ?? null,
    async stop() {
      stopped = true
      await loop
    },
  }
}
