/**
 * The Deno tasks work exactly as the docs show them. Every `deno task <name>` in README.md and
 * docs/ is a task of deno.json and every task is in README.md or docs/ARCHITECTURE.md; each
 * service task, run as `npx deno task <service>` with a free PORT and a temporary DATA_DIR, answers
 * /health and stops cleanly on SIGTERM; the gateway's task also runs from a `deno` on PATH (a
 * system-wide install); and `npx deno task demo` serves the dashboard on the simulated cluster on
 * its own ports. Before the fix a task's `deno` was the npm package's binary read as a script
 * ("SyntaxError … node_modules/deno/deno:1:1"); the static checks keep that from coming back.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sleep } from '../../shared/abort.ts'
import { SERVICE_NAMES, SERVICES, type ServiceName } from '../../shared/topology.ts'
import { readDenoTasks } from '../../tools/stack/deno-tasks.ts'
import { REPO_ROOT } from '../../tools/stack/launch.ts'
import { freePort, waitForHealth } from '../../tools/stack/ports.ts'
import {
  hasExited,
  killGroup,
  startTask,
  stopGroup,
  type TaskRun,
  taskFailure,
} from '../support/task-group.ts'
import { silentWav } from '../support/wav.ts'

const tasks = readDenoTasks()
const read = (path: string) => readFileSync(`${REPO_ROOT}${path}`, 'utf8')
const DOCS = ['README.md', ...readdirSync(`${REPO_ROOT}docs`).map((f) => `docs/${f}`)].filter((f) =>
  f.endsWith('.md'),
)
const invoked = (text: string) => [...text.matchAll(/\bdeno task ([\w-]+)/g)].map((m) => m[1]!)

/** Every service's shutdown fits in 10 s (docs/ARCHITECTURE.md#shutdown); npx and deno task add little. */
const STOP_MS = 12_000
const START_MS = 40_000

describe('deno.json and the docs', () => {
  it('every `deno task X` in the docs is a task, and every task is shown in README or ARCHITECTURE', () => {
    for (const doc of DOCS)
      for (const name of invoked(read(doc)))
        expect(tasks, `${doc} runs "deno task ${name}"`).toHaveProperty(name)
    const shown = new Set(invoked(read('README.md') + read('docs/ARCHITECTURE.md')))
    for (const name of Object.keys(tasks))
      expect(shown.has(name), `task "${name}" appears in neither README nor ARCHITECTURE`).toBe(true)
    expect(Object.keys(tasks).sort()).toEqual([...SERVICE_NAMES, 'demo'].sort())
  })

  it.each(Object.keys(tasks))('task %s runs the repo’s deno with its own permissions', (name) => {
    const command = tasks[name]!
    // Plain words only: tools/stack/deno-tasks.ts splits on spaces.
    expect(command).toMatch(/^[\w./=,-]+( [\w./=,-]+)*$/)
    // A bare `deno` inside deno task is node_modules/.bin/deno run as a script (the original failure).
    expect(command.startsWith('node_modules/.bin/deno run ')).toBe(true)
    const entry = name === 'demo' ? 'tools/demo.ts' : `services/${name}/main.ts`
    expect(command.endsWith(` ${entry}`)).toBe(true)
    const flags = command.split(' ').filter((w) => w.startsWith('-'))
    for (const broad of ['-A', '--allow-all', '--allow-run', '--allow-sys', '--allow-ffi'])
      expect(flags, `${name} asks for ${broad}`).not.toContain(broad)
    const run = flags.find((f) => f.startsWith('--allow-run='))
    if (name === 'speech-proxy') expect(run).toBe('--allow-run=ffmpeg,ffprobe')
    else if (name !== 'demo') expect(run).toBeUndefined()
  })
})

interface Started {
  run: TaskRun
  dataDir?: string
}
const started: Started[] = []

function startService(argv: string[], name: ServiceName, port: number, env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), `deno-task-${name}-`))
  const run = startTask(argv, {
    ...process.env,
    ...env,
    PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    // The redaction-gateway refuses to start without a map key.
    REDACTION_MAP_KEY: randomBytes(32).toString('hex'),
  })
  started.push({ run, dataDir })
  return run
}

/** Starts, answers /health as `name`, stops cleanly on SIGTERM; resolves to the failure, if any. */
async function exercise(
  argv: string[],
  name: ServiceName,
  env?: Record<string, string>,
): Promise<Error | null> {
  const port = await freePort()
  const run = startService(argv, name, port, env)
  try {
    const url = `http://127.0.0.1:${port}`
    await waitForHealth(url, START_MS, () => !hasExited(run)).catch((err: Error) => {
      throw taskFailure(run, err.message)
    })
    const health = (await (await fetch(`${url}/health`)).json()) as { service?: string }
    if (health.service !== name) throw taskFailure(run, `/health answered as ${JSON.stringify(health)}`)
    await stopGroup(run, STOP_MS)
    if (!run.output.some((l) => l.includes('"msg":"stopped"')))
      throw taskFailure(run, 'exited on SIGTERM without logging "stopped" (no graceful shutdown)')
    return null
  } catch (err) {
    return err as Error
  }
}

const results = new Map<string, Promise<Error | null>>()

beforeAll(() => {
  // All at once: each is mostly waiting on npx and Deno starting up.
  for (const name of SERVICE_NAMES) results.set(name, exercise(['npx', 'deno', 'task', name], name))
  results.set('system deno', systemDenoGateway())
})

afterAll(() => {
  for (const { run, dataDir } of started) {
    killGroup(run)
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  }
})

/** The gateway's task started by a `deno` found on PATH rather than through npx. */
function systemDenoGateway(): Promise<Error | null> {
  const bin = mkdtempSync(join(tmpdir(), 'system-deno-'))
  symlinkSync(`${REPO_ROOT}node_modules/deno/deno`, join(bin, 'deno'))
  const env = { PATH: `${bin}:${process.env.PATH}` }
  return exercise(['deno', 'task', 'gateway'], 'gateway', env).finally(() =>
    rmSync(bin, { recursive: true, force: true }),
  )
}

describe('the documented tasks run', () => {
  it.each(SERVICE_NAMES)(
    'npx deno task %s answers /health and stops cleanly on SIGTERM',
    async (name) => {
      const failure = await results.get(name)
      if (failure) throw failure
    },
    START_MS + STOP_MS + 5000,
  )

  it(
    'deno task gateway from a deno on PATH (a system-wide install) runs the same',
    async () => {
      const failure = await results.get('system deno')
      if (failure) throw failure
    },
    START_MS + STOP_MS + 5000,
  )

  it('npx deno task demo serves the dashboard on the simulated cluster and stops cleanly', async () => {
    for (const { port } of Object.values(SERVICES)) await expectFree(port)
    const run = startTask(['npx', 'deno', 'task', 'demo'], { ...process.env })
    started.push({ run })
    const gateway = `http://127.0.0.1:${SERVICES.gateway.port}`
    await waitForReady(run, gateway)
    const page = await (await fetch(`${gateway}/`)).text()
    if (!page.includes('simulated cluster'))
      throw taskFailure(run, 'the dashboard shows no "simulated cluster" label')
    await transcribe(run, gateway)
    await stopGroup(run, STOP_MS)
    if (!run.output.includes('Stopping…'))
      throw taskFailure(run, 'exited on SIGTERM without stopping the demo')
  }, 70_000)
})

/** The speech-proxy's task may run only ffmpeg and ffprobe: a transcription probes the file with them. */
async function transcribe(run: TaskRun, gateway: string) {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(silentWav(1))], { type: 'audio/wav' }), 'silence.wav')
  form.append('model', 'parakeet')
  const res = await fetch(`${gateway}/v1/audio/transcriptions`, { method: 'POST', body: form })
  const body = await res.text()
  if (res.status !== 200)
    throw taskFailure(
      run,
      `a transcription answered ${res.status} ${body.slice(0, 300)} (speech-proxy log: .data/demo/logs)`,
    )
}

/**
 * The demo is up when it has printed its banner (its SIGTERM handler is set after it) and the
 * gateway is ready and says the cluster is the simulated one.
 */
async function waitForReady(run: TaskRun, gateway: string) {
  const deadline = Date.now() + START_MS
  let last = ''
  while (Date.now() < deadline) {
    if (hasExited(run)) throw taskFailure(run, 'exited before the gateway was ready')
    try {
      const res = await fetch(`${gateway}/ready`, { signal: AbortSignal.timeout(2000) })
      const body = (await res.json()) as { simulated?: boolean }
      const bannerShown = run.output.some((l) => l.includes('Press Ctrl-C to stop.'))
      if (res.status === 200 && body.simulated === true && bannerShown) return
      last = `${res.status} ${JSON.stringify(body).slice(0, 200)}`
    } catch (err) {
      last = (err as Error).message
    }
    await sleep(200)
  }
  throw taskFailure(run, `the gateway was not ready on the simulated cluster within ${START_MS} ms (${last})`)
}

/** The demo binds the default ports: a running demo or compose stack would make this test meaningless. */
function expectFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', () =>
      reject(
        new Error(`port ${port} is taken: stop the demo (or whatever holds it) and run this test again`),
      ),
    )
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()))
  })
}
