/**
 * Spawning the Debian audio tools (ffmpeg, ffprobe, espeak-ng, sox). Always argument arrays, never
 * a shell string: request values (voices, text, file names) must not reach a shell. A missing
 * binary is an error that names the apt package, so a fresh machine says how to fix itself.
 */
import { Buffer } from 'node:buffer'
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process'

export const TOOL_PACKAGES: Record<string, string> = {
  ffmpeg: 'ffmpeg',
  ffprobe: 'ffmpeg',
  'espeak-ng': 'espeak-ng',
  sox: 'sox',
}

export class ToolMissingError extends Error {
  constructor(readonly tool: string) {
    const pkg = TOOL_PACKAGES[tool] ?? tool
    super(`${tool} is not installed; install it with: sudo apt-get install -y ${pkg}`)
  }
}

/** Spawns a tool; ENOENT surfaces on the 'error' event, which `exited` turns into ToolMissingError. */
export function spawnTool(tool: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  return spawn(tool, args, { stdio: ['pipe', 'pipe', 'pipe'], ...options, shell: false })
}

export interface ToolResult {
  code: number | null
  stdout: Buffer
  stderr: string
}

/** Resolves when the process exits; keeps the last 8 KB of stderr for error messages. */
export function exited(child: ChildProcess, tool: string): Promise<{ code: number | null; stderr: string }> {
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString('utf8')).slice(-8192)
  })
  return new Promise((resolve, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'ENOENT' ? new ToolMissingError(tool) : err),
    )
    child.once('close', (code) => resolve({ code, stderr }))
  })
}

export interface RunOptions {
  input?: string | Buffer
  timeoutMs?: number
  signal?: AbortSignal
}

/** Runs a tool to completion, collecting stdout (only for small outputs: probes, test fixtures). */
export async function runTool(tool: string, args: string[], options: RunOptions = {}): Promise<ToolResult> {
  const child = spawnTool(tool, args)
  const chunks: Buffer[] = []
  child.stdout?.on('data', (d: Buffer) => chunks.push(d))
  // A tool that exits early closes stdin under us; that EPIPE is reported by its exit code instead.
  child.stdin?.on('error', () => {})
  const done = exited(child, tool)
  const kill = () => child.kill('SIGKILL')
  const timer = setTimeout(kill, options.timeoutMs ?? 120_000)
  options.signal?.addEventListener('abort', kill, { once: true })
  if (options.input !== undefined) child.stdin?.end(options.input)
  else child.stdin?.end()
  try {
    const { code, stderr } = await done
    return { code, stdout: Buffer.concat(chunks), stderr }
  } finally {
    clearTimeout(timer)
    options.signal?.removeEventListener('abort', kill)
  }
}

/** Like runTool but throws (naming the tool and its stderr) on a non-zero exit. */
export async function runToolOk(tool: string, args: string[], options: RunOptions = {}): Promise<Buffer> {
  const result = await runTool(tool, args, options)
  if (result.code !== 0)
    throw new Error(`${tool} exited with ${result.code}: ${result.stderr.trim().slice(-500)}`)
  return result.stdout
}
