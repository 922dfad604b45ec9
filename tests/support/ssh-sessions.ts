/**
 * Drops the live SSH connections of one real sshd (tests/support/openssh.ts) while its listener stays
 * up: each connection's sshd process and the command it runs are killed, as a connection reset
 * mid-command looks from the client, and a new connection is accepted at once. (`cutOff` takes the
 * listener down too: a node gone, not a dropped connection.)
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { vi } from 'vitest'
import type { SshdNode } from './openssh.ts'

function children(pid: number): number[] {
  const found: number[] = []
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim()
      if (text) found.push(...text.split(/\s+/).map(Number))
    }
  } catch {
    // The process ended while we looked.
  }
  return found.flatMap((p) => [p, ...children(p)])
}

const alive = (pid: number) => {
  try {
    return !/ Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\)/, ''))
  } catch {
    return false
  }
}

const listenerOf = (node: SshdNode) => Number(readFileSync(join(node.dir, 'sshd.pid'), 'utf8').trim())

/** The command lines running under `node`'s sessions now (to wait until a command has started). */
export function sessionCommands(node: SshdNode): string[] {
  return children(listenerOf(node)).flatMap((pid) => {
    try {
      return [readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim()]
    } catch {
      return []
    }
  })
}

/** Kills every session of `node` (the listener's descendants); resolves once they are gone. Returns how many. */
export async function dropSessions(node: SshdNode): Promise<number> {
  const sessions = children(listenerOf(node))
  for (const pid of sessions) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // Already gone.
    }
  }
  await vi.waitFor(
    () => {
      if (sessions.some(alive)) throw new Error('sessions still alive')
    },
    { timeout: 5000, interval: 25 },
  )
  return sessions.length
}
