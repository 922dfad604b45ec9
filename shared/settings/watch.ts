/**
 * Follows the settings file: `fs.watch` on its folder (the file is replaced by a rename, so the
 * folder is watched, not the file) for a change within moments, and a slow check of its
 * modification time in case the watcher misses one (network and container file systems do).
 * Bursts of events are gathered into one read; the callback runs only when the text changed.
 */
import { type FSWatcher, watch } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { basename, dirname } from 'node:path'
import { parseSettings, type SettingsRead } from './file.ts'

export interface SettingsWatchOptions {
  path: string
  onChange: (read: SettingsRead) => void
  pollMs?: number
  debounceMs?: number
  /** Told when the folder cannot be watched (the slow check goes on) or a read fails. */
  onProblem?: (message: string) => void
}

export interface SettingsWatch {
  /** Reads the file now (a writer in this process need not wait for the watcher); resolves after onChange. */
  check(): Promise<void>
  close(): void
}

export function watchSettingsFile(options: SettingsWatchOptions): SettingsWatch {
  const { path } = options
  const name = basename(path)
  let lastText: string | null | undefined
  let lastStamp = ''
  let debounce: ReturnType<typeof setTimeout> | undefined
  let closed = false
  let watcher: FSWatcher | undefined

  async function check() {
    if (closed) return
    const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) =>
      err.code === 'ENOENT' ? null : Promise.reject(err),
    )
    if (closed || text === lastText) return
    lastText = text
    options.onChange(text === null ? { values: {}, raw: {}, problem: null } : parseSettings(path, text))
  }

  function soon() {
    if (closed) return
    clearTimeout(debounce)
    debounce = setTimeout(() => {
      check().catch((err: Error) => options.onProblem?.(`settings file: ${err.message}`))
    }, options.debounceMs ?? 100)
  }

  try {
    watcher = watch(dirname(path), { persistent: false }, (_event, file) => {
      if (file === null || file.toString() === name) soon()
    })
    watcher.on('error', () => undefined)
  } catch (err) {
    options.onProblem?.(
      `settings file: its folder cannot be watched (${(err as Error).message}); checked every few seconds`,
    )
  }

  const poll = setInterval(() => {
    stat(path).then(
      (s) => stampChanged(`${s.mtimeMs}:${s.size}:${s.ino}`),
      () => stampChanged('absent'),
    )
  }, options.pollMs ?? 5000)
  poll.unref?.()

  // The first stamp also leads to a read: a change between the start-up read and the watcher
  // would otherwise wait for the next one. Reading the same text again reports nothing.
  function stampChanged(stamp: string) {
    if (stamp === lastStamp) return
    lastStamp = stamp
    soon()
  }

  return {
    check,
    close() {
      closed = true
      clearTimeout(debounce)
      clearInterval(poll)
      watcher?.close()
    },
  }
}
