/**
 * Progress of `hf download` (huggingface_hub's CLI) read from its output. The CLI draws tqdm bars
 * on stderr: an outer `Fetching N files: 42%|████▏ | 5/12 [00:31<00:40, …]` and, per file,
 * `model-00001-of-00004.safetensors: 45%|████▌ | 2.24G/4.97G [00:31<00:38, 71.2MB/s]`; without a
 * terminal they are redrawn with `\r` (and cursor escapes for stacked bars), so one "line" can hold
 * hundreds of updates — the SSH stream is asked to end lines at `\r` too. At the end the CLI prints
 * the snapshot path on stdout.
 */

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g
const SIZE_UNITS: Record<string, number> = { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 }

export type ProgressEvent =
  | { kind: 'files'; done: number; total: number }
  | { kind: 'file'; name: string; percent: number; bytes: number; totalBytes: number | null }
  | { kind: 'done'; path: string }
  | { kind: 'error'; message: string }

/** One delivered line (split at `\r` and `\n` by the SSH stream) → its redraws, escapes removed. */
export function segmentsOf(line: string): string[] {
  return line
    .split(/[\r\n]/)
    .map((p) => p.replace(ANSI, '').trim())
    .filter((p) => p !== '')
}

function bytesOf(amount: string, unit: string): number | null {
  const n = Number(amount)
  const scale = SIZE_UNITS[unit]
  return Number.isFinite(n) && scale !== undefined ? Math.round(n * scale) : null
}

const FILES = /^Fetching (\d{1,7}) files:\s+\d{1,3}%\|[^|]*\|\s*(\d{1,7})\/(\d{1,7})\b/
const FILE = /^(.{1,300}?):\s+(\d{1,3})%\|[^|]*\|\s*([\d.]+)([kKMGTP]?)i?B?\/([\d.]+)([kKMGTP]?)i?B?\s*\[/
const SNAPSHOT = /^\/[A-Za-z0-9_.,:@+=/-]{1,4000}\/snapshots\/[A-Za-z0-9_.-]{1,200}\/?$/
const ERROR = /(Error|error:|Traceback|Errno|denied|not found|Not Found|refused|timed out)/

export function parseSegment(segment: string): ProgressEvent | null {
  const files = FILES.exec(segment)
  if (files) return { kind: 'files', done: Number(files[2]), total: Number(files[3]) }
  const file = FILE.exec(segment)
  if (file) {
    const bytes = bytesOf(file[3]!, file[4]!)
    if (bytes === null) return null
    return {
      kind: 'file',
      name: file[1]!.trim(),
      percent: Math.min(100, Number(file[2])),
      bytes,
      totalBytes: bytesOf(file[5]!, file[6]!),
    }
  }
  if (SNAPSHOT.test(segment)) return { kind: 'done', path: segment }
  if (ERROR.test(segment))
    return { kind: 'error', message: segment.replace(/[^\x20-\x7e]/g, '').slice(0, 300) }
  return null
}

export interface NodeProgress {
  files_done: number
  files_total: number | null
  bytes_downloaded: number
  percent: number
  snapshot_path: string | null
  last_error: string | null
}

export const emptyProgress = (): NodeProgress => ({
  files_done: 0,
  files_total: null,
  bytes_downloaded: 0,
  percent: 0,
  snapshot_path: null,
  last_error: null,
})

/** Folds events into a node's progress; keeps the per-file bars it needs in `files`. */
export function createProgressFold(maxFiles = 2000) {
  const files = new Map<string, { percent: number; bytes: number; total: number }>()
  const state = emptyProgress()
  const recompute = () => {
    const bars = [...files.values()]
    state.bytes_downloaded = bars.reduce((s, f) => s + f.bytes, 0)
    const totalBytes = bars.reduce((s, f) => s + f.total, 0)
    // Without the `Fetching N files` bar (newer CLIs may draw one aggregate bar), bytes are the measure.
    if (!state.files_total && totalBytes === 0) return
    const partial = bars.filter((f) => f.percent < 100).reduce((s, f) => s + f.percent / 100, 0)
    const fraction = state.files_total
      ? Math.min(1, (state.files_done + partial) / state.files_total)
      : Math.min(1, state.bytes_downloaded / totalBytes)
    // 100 only once the CLI said where the snapshot is: the last file may still be renamed into place.
    state.percent = Math.min(state.snapshot_path ? 100 : 99.9, Math.round(fraction * 1000) / 10)
  }
  return {
    state,
    apply(e: ProgressEvent): void {
      if (e.kind === 'files') {
        state.files_total = e.total
        state.files_done = Math.max(state.files_done, Math.min(e.done, e.total))
      } else if (e.kind === 'file') {
        const seen = files.get(e.name)
        if (seen || files.size < maxFiles)
          files.set(e.name, {
            percent: Math.max(seen?.percent ?? 0, e.percent),
            bytes: Math.max(seen?.bytes ?? 0, e.bytes),
            total: e.totalBytes ?? seen?.total ?? 0,
          })
      } else if (e.kind === 'done') {
        state.snapshot_path = e.path
        if (state.files_total) state.files_done = state.files_total
      } else state.last_error = e.message
      recompute()
      if (e.kind === 'done') state.percent = 100
    },
  }
}
