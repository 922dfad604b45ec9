/**
 * The tasks of deno.json as argument lists. `npx deno task <name>` runs them; the stack launcher
 * starts a service on Deno with the same command (same binary, same permissions), so the demo and
 * the Deno tests run what the docs tell a newcomer to run.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const DENO_JSON = fileURLToPath(new URL('../../deno.json', import.meta.url))

/** Task name → command line, as written in deno.json. */
export function readDenoTasks(path = DENO_JSON): Record<string, string> {
  const config = JSON.parse(readFileSync(path, 'utf8')) as { tasks?: Record<string, unknown> }
  const tasks: Record<string, string> = {}
  for (const [name, task] of Object.entries(config.tasks ?? {})) {
    // A task may also be an object with a `command` (Deno 2.1+); both forms run the same way.
    const command = typeof task === 'string' ? task : (task as { command?: unknown }).command
    if (typeof command !== 'string') throw new Error(`deno.json task "${name}" has no command`)
    tasks[name] = command
  }
  return tasks
}

/**
 * A task's command as [program, ...args]. The tasks are plain words (no quotes, variables or
 * operators), which the test of deno.json checks, so splitting on spaces is the whole parse.
 */
export function denoTaskArgv(name: string, tasks = readDenoTasks()): string[] {
  const command = tasks[name]
  if (!command) throw new Error(`deno.json has no task "${name}"`)
  return command.trim().split(/\s+/)
}
