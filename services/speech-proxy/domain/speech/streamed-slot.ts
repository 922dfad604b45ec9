/**
 * An admission slot held for as long as a streamed answer flows. `Admission.run` keeps the slot
 * until its function settles, but the client must get headers and the first bytes long before
 * that: the function opens the upstream, hands the answer out at once, and settles only when the
 * relayed stream ends — finished, failed, or cancelled because the client went away.
 */
import type { Admission, Admit } from '../admission/admission.ts'
import { relay } from './relay.ts'

export interface Opened {
  body: ReadableStream<Uint8Array>
}

export interface StreamStarted<T extends Opened> {
  answer: T
  /** The relayed body to send to the client; the slot is freed when it ends. */
  body: ReadableStream<Uint8Array>
  /** Time in the admission queue. */
  queueMs: number
  /** Time from leaving the queue to the upstream's answer (its first audio, when streaming). */
  openMs: number
}

export function streamThroughSlot<T extends Opened>(
  admission: Pick<Admission, 'run'>,
  admit: Admit,
  open: (signal: AbortSignal) => Promise<T>,
  onLateError: (err: unknown) => void,
  now: () => number = () => performance.now(),
): Promise<StreamStarted<T>> {
  const arrivedAt = now()
  let started = false
  return new Promise<StreamStarted<T>>((resolve, reject) => {
    const ran = admission.run(admit, async (signal) => {
      const openedAt = now()
      const answer = await open(signal)
      const { body, ended } = relay(answer.body, signal)
      started = true
      resolve({ answer, body, queueMs: openedAt - arrivedAt, openMs: now() - openedAt })
      await ended
    })
    ran.catch((err: unknown) => (started ? onLateError(err) : reject(err)))
  })
}
