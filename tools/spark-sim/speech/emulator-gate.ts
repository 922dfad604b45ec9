/**
 * The simulated GPU slot: a counting semaphore with a bounded wait list, and a response wrapper that
 * frees the slot only when a streamed body has gone out.
 */
export class QueueFull extends Error {}

/** A counting semaphore with a bounded wait list; the limit can change while requests run. */
export function createGate(queueLimit: number, initialLimit: number) {
  let limit = initialLimit
  let active = 0
  const waiting: Array<{ resolve: () => void; reject: (err: Error) => void }> = []
  const pump = () => {
    while (active < limit && waiting.length > 0) {
      active++
      waiting.shift()?.resolve()
    }
  }
  const release = () => {
    active--
    pump()
  }
  return {
    get active() {
      return active
    },
    get queued() {
      return waiting.length
    },
    setLimit(n: number) {
      limit = n
      pump()
    },
    async acquire(): Promise<() => void> {
      if (active < limit && waiting.length === 0) {
        active++
      } else {
        if (waiting.length >= queueLimit) throw new QueueFull('queue full')
        await new Promise<void>((resolve, reject) => waiting.push({ resolve, reject }))
      }
      let released = false
      return () => {
        if (released) return
        released = true
        release()
      }
    },
    rejectAll(reason: string) {
      for (const w of waiting.splice(0)) w.reject(new Error(reason))
    },
  }
}

/** Releases the GPU slot when a streamed body ends, errors or is cancelled, not when headers go out. */
export function releaseOnEnd(res: Response, release: () => void): Response {
  if (!res.body) {
    release()
    return res
  }
  const reader = res.body.getReader()
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read()
        if (done) {
          release()
          controller.close()
        } else controller.enqueue(value)
      } catch (err) {
        release()
        controller.error(err)
      }
    },
    async cancel(reason) {
      release()
      await reader.cancel(reason)
    },
  })
  return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers })
}
