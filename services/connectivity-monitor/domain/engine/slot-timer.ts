/**
 * One timer for the engine's probe loops and its tick. A due time is rounded to the nearest
 * multiple of `slotMs` (never to one already begun), and everything due in one slot runs in the
 * same wake-up of the process.
 *
 * Why: a wake-up costs CPU of its own — about 0.2 ms on the test machine, a virtual machine, for a
 * timer that does nothing — as much as the probe it starts. With a timer per loop, 26 targets woke
 * the monitor about 100 times a second; probes that share a slot also share the wake-up, and their
 * answers come back together. The nearest slot rather than the next: rounding up stretched every
 * interval (a 250 ms burst on a 100 ms grid came every 300 ms); to the nearest, a probe moves by
 * at most half a slot either way, and an interval that is a multiple of the slot (the default
 * 125 ms against 250 ms bursts, 1 s and 1.5 s steady checks) keeps its length.
 */
export interface SlotTask {
  /** The slot it runs in (`performance.now()` milliseconds, a multiple of `slotMs`). */
  readonly slot: number
}

interface Task extends SlotTask {
  run(): void
  first: boolean
  /** The set it waits in, kept so a task cancelled while its slot runs is still skipped. */
  set: Set<Task>
}

export interface SlotTimer {
  /**
   * Runs `run` in the slot nearest `delayMs` from now, or the next slot if that one has begun;
   * `first` runs it ahead of the slot's other tasks (a probe kept waiting for the budget: in slot
   * order it would always come after the bursts that take each new token, and wait for ever).
   */
  after(delayMs: number, run: () => void, first?: boolean): SlotTask
  /** The timer's own time, in which `slot` is given. */
  now(): number
  cancel(task: SlotTask): void
  /** Cancels everything. */
  clear(): void
}

/**
 * A timer may fire a millisecond before the clock reaches its slot (the event loop's time is
 * cached and truncated); slots this close are run now rather than with a wake-up of their own.
 */
const EARLY_MS = 2

/**
 * Slots are kept in monotonic time (`performance.now()`), never the wall clock: a clock set back by
 * an hour (NTP at boot) would otherwise hold every probe for that hour.
 */
export function createSlotTimer(slotMs: number): SlotTimer {
  const now = () => performance.now()
  const size = Math.max(1, Math.round(slotMs))
  const slots = new Map<number, Set<Task>>()
  let timer: ReturnType<typeof setTimeout> | null = null
  let armedFor = Number.POSITIVE_INFINITY

  function arm() {
    let next = Number.POSITIVE_INFINITY
    for (const slot of slots.keys()) if (slot < next) next = slot
    if (next === armedFor) return
    if (timer) clearTimeout(timer)
    timer = null
    armedFor = next
    if (next !== Number.POSITIVE_INFINITY) timer = setTimeout(runDue, Math.max(0, next - now()))
  }

  function runDue() {
    timer = null
    armedFor = Number.POSITIVE_INFINITY
    const at = now()
    const due = [...slots.keys()].filter((s) => s <= at + EARLY_MS).sort((a, b) => a - b)
    for (const slot of due) {
      const set = slots.get(slot)!
      slots.delete(slot)
      for (const pass of [true, false])
        for (const task of set) {
          if (task.first !== pass) continue
          set.delete(task)
          task.run()
        }
    }
    arm()
  }

  return {
    after(delayMs, run, first = false) {
      const at = now()
      const next = Math.floor(at / size) * size + size
      const slot = Math.max(next, Math.round((at + Math.max(0, delayMs)) / size) * size)
      let set = slots.get(slot)
      if (!set) {
        set = new Set()
        slots.set(slot, set)
      }
      const task: Task = { slot, run, first, set }
      set.add(task)
      if (slot < armedFor) arm()
      return task
    },
    cancel(task) {
      const { set, slot } = task as Task
      set.delete(task as Task)
      if (set.size === 0 && slots.get(slot) === set) {
        slots.delete(slot)
        if (slot === armedFor) arm()
      }
    },
    now,
    clear() {
      slots.clear()
      arm()
    },
  }
}
