/** A fixed-capacity buffer that overwrites its oldest entry: sparkline history and log replay stay bounded. */
export class RingBuffer<T> {
  readonly #items: Array<T | undefined>
  #start = 0
  #size = 0

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError('capacity must be a positive integer')
    }
    this.#items = new Array<T | undefined>(capacity)
  }

  get size(): number {
    return this.#size
  }

  push(item: T): void {
    const end = (this.#start + this.#size) % this.capacity
    this.#items[end] = item
    if (this.#size < this.capacity) this.#size++
    else this.#start = (this.#start + 1) % this.capacity
  }

  /** Oldest first; `last` keeps only the newest n. */
  toArray(last = this.#size): T[] {
    const n = Math.max(0, Math.min(last, this.#size))
    const out: T[] = []
    for (let i = this.#size - n; i < this.#size; i++) {
      out.push(this.#items[(this.#start + i) % this.capacity] as T)
    }
    return out
  }

  latest(): T | undefined {
    return this.#size === 0 ? undefined : this.#items[(this.#start + this.#size - 1) % this.capacity]
  }

  clear(): void {
    this.#items.fill(undefined)
    this.#start = 0
    this.#size = 0
  }
}
