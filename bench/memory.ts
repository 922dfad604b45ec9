/**
 * Idle memory of every service, two ways, side by side:
 * - as the stack launcher runs them (tools/stack/launch.ts: `node --import tsx`, TypeScript compiled
 *   on the fly by a loader thread), the figure the target is checked against;
 * - built by scripts/build.sh and run as the image runs them (`node dist/services/<name>/main.js`),
 *   the figure a deployment sees.
 * Two empty processes are the baselines: plain node, and node with tsx's loader — their difference
 * is what the loader alone costs every process of the first kind.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { sleep } from '../shared/abort.ts'
import { SERVICE_NAMES, SERVICES, type ServiceName } from '../shared/topology.ts'
import { launchStack, REPO_ROOT } from '../tools/stack/launch.ts'
import { freePort, waitForHealth } from '../tools/stack/ports.ts'
import { type Cleanups, memoryOf, stopChild } from './children.ts'

export interface MemoryRow {
  name: string
  how: 'tsx' | 'compiled' | 'baseline'
  rssMiB: number
  peakMiB: number
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}

/**
 * The production build (scripts/build.sh, as `npm run build` and the image) into a git-ignored
 * folder; null, with the compiler's complaint logged, when the tree does not compile right now.
 */
export async function buildCompiled(cleanups: Cleanups, log: (s: string) => void): Promise<string | null> {
  const out = join(REPO_ROOT, '.data', `bench-build-${process.pid}`)
  cleanups.add('compiled build', () => rm(out, { recursive: true, force: true }))
  log('memory: building the services as the image does (scripts/build.sh)')
  const build = spawn('bash', ['scripts/build.sh', out], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let said = ''
  const keep = (chunk: Buffer) => {
    said = (said + chunk.toString()).slice(-2000)
  }
  build.stdout?.on('data', keep)
  build.stderr?.on('data', keep)
  const code = await exited(build)
  if (code === 0) return out
  log(`memory: the build failed (${code}); compiled figures are left out:\n${said.trim()}`)
  return null
}

/** The compiled services as child processes, laid out like launchStack does (free loopback ports). */
async function startCompiled(out: string, dataDir: string, cleanups: Cleanups) {
  const ports = Object.fromEntries(
    await Promise.all(SERVICE_NAMES.map(async (n) => [n, await freePort()] as const)),
  )
  const urls = Object.fromEntries(
    SERVICE_NAMES.map((n) => [SERVICES[n].urlEnv, `http://127.0.0.1:${ports[n]}`]),
  )
  const children = new Map<ServiceName, ChildProcess>()
  for (const name of SERVICE_NAMES) {
    const child = spawn(
      process.execPath,
      [...SERVICES[name].nodeFlags, join(out, 'services', name, 'main.js')],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          ...urls,
          LOG_LEVEL: 'warn',
          DATA_DIR: dataDir,
          HOST: '127.0.0.1',
          PORT: String(ports[name]),
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    )
    children.set(name, child)
    cleanups.add(`${name} (compiled)`, () => stopChild(child, 10_000))
  }
  await Promise.all(
    SERVICE_NAMES.map((n) =>
      waitForHealth(`http://127.0.0.1:${ports[n]}`, 60_000, () => children.get(n)!.exitCode === null),
    ),
  )
  return children
}

/** `out`: the compiled build (buildCompiled), or null to measure the stack launcher's processes only. */
export async function idleMemory(
  dir: string,
  out: string | null,
  cleanups: Cleanups,
  idleWaitMs: number,
  log: (s: string) => void,
) {
  log(`memory: starting the whole stack${out ? ' twice (stack launcher with tsx, and compiled)' : ''}`)
  const stack = await launchStack({
    env: { LOG_LEVEL: 'warn', DATA_DIR: join(dir, 'stack') },
    healthTimeoutMs: 90_000,
  })
  cleanups.add('stack', () => stack.stop())
  const compiled = out ? await startCompiled(out, join(dir, 'compiled'), cleanups) : null
  const idle = 'setInterval(() => {}, 1 << 30)'
  const empty = (args: string[]) => spawn(process.execPath, [...args, '-e', idle], { cwd: REPO_ROOT })
  const baselines = [
    { name: 'node, empty', child: empty([]) },
    { name: 'node --import tsx, empty', child: empty(['--import', 'tsx']) },
  ]
  for (const b of baselines) cleanups.add(b.name, () => stopChild(b.child))
  log(`memory: idle for ${idleWaitMs / 1000} s`)
  await sleep(idleWaitMs)
  const rows: MemoryRow[] = []
  for (const name of SERVICE_NAMES) {
    rows.push({ name, how: 'tsx', ...(await memoryOf(stack.services[name]!.process.pid!)) })
    if (compiled) rows.push({ name, how: 'compiled', ...(await memoryOf(compiled.get(name)!.pid!)) })
  }
  for (const b of baselines) rows.push({ name: b.name, how: 'baseline', ...(await memoryOf(b.child.pid!)) })
  return rows
}
