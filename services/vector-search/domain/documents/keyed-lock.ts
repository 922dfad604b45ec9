/**
 * One writer at a time per key (a document of a collection and tenant): two ingests of the same
 * document in this process run one after the other, so each diffs against what the other wrote.
 * Keys are taken in sorted order, so two callers holding several never wait on each other in a ring.
 */
export interface KeyedLock {
  run<T>(keys: readonly string[], work: () => Promise<T>): Promise<T>
}

export function createKeyedLock(): KeyedLock {
  const tails = new Map<string, Promise<void>>()

  async function acquire(key: string): Promise<() => void> {
    const before = tails.get(key) ?? Promise.resolve()
    let release!: () => void
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    const tail = before.then(() => held)
    tails.set(key, tail)
    await before
    return () => {
      release()
      if (tails.get(key) === tail) tails.delete(key)
    }
  }

  return {
    async run(keys, work) {
      const releases: (() => void)[] = []
      try {
        for (const key of [...new Set(keys)].sort()) releases.push(await acquire(key))
        return await work()
      } finally {
        for (const release of releases.reverse()) release()
      }
    },
  }
}
