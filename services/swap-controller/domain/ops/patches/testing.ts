/**
 * Shared by this folder's tests: the two shipped patches' shapes, inventory specs, and a fake
 * Spark whose `docker update` / `docker inspect --format` behave like docker's for one container.
 */
import type { ServiceContainerSpec } from '../../../../../shared/contracts/swap-controller.ts'
import type { NodeCommandRunner } from '../ports.ts'
import { type Patch, parsePatch } from './load.ts'

export const GIB = 1024 ** 3

export function spec(name: string, over: Partial<ServiceContainerSpec> = {}): ServiceContainerSpec {
  return {
    name,
    kind: 'custom',
    node: 'spark-2',
    container: `${name}-c`,
    port: 8000,
    health_path: '/health',
    restart_policy: 'unless-stopped',
    memory_cap_bytes: null,
    auto_restart: false,
    custom: false,
    disabled: false,
    ...over,
  }
}

export const CAP_PATCH = `
id: cap
version: 1
description: Caps the memory of the container at the inventory's cap.
service: parakeet
apply:
  - description: Set the cap
    argv: [docker, update, --memory, '{memory_cap_bytes}', --memory-swap, '{memory_cap_bytes}', '{container}']
check:
  - description: The cap is in force
    argv: [docker, inspect, --format, '{{.HostConfig.Memory}}', '{container}']
    stdout: '{memory_cap_bytes}'
`

export function patch(text: string, file: string): Patch {
  const loaded = parsePatch(text, file)
  if (!loaded.ok) throw new Error(loaded.invalid.reasons.join('; '))
  return loaded.patch
}

export interface FakeContainer {
  memory: number
  restart: string
}

/**
 * One node's containers as docker shows them. `updateWithoutEffect` accepts `docker update` and
 * changes nothing (a check that can never pass); `down` makes every command throw (no answer).
 */
export function fakeDocker(containers: Record<string, FakeContainer>) {
  const calls: string[][] = []
  const state = { updateWithoutEffect: false, down: false, failUpdate: null as string | null }
  const runner: NodeCommandRunner = {
    async run({ argv }) {
      calls.push([...argv])
      if (state.down) throw new Error('SSH to spark-2: not connected')
      const name = argv[argv.length - 1] ?? ''
      const c = containers[name]
      if (!c) return { code: 1, stdout: '', stderr: `Error: No such object: ${name}\n` }
      if (argv[1] === 'inspect') {
        const format = argv[3]
        const value = format === '{{.HostConfig.Memory}}' ? String(c.memory) : c.restart
        return { code: 0, stdout: `${value}\n`, stderr: '' }
      }
      if (argv[1] === 'update') {
        if (state.failUpdate) return { code: 1, stdout: '', stderr: state.failUpdate }
        if (!state.updateWithoutEffect) {
          const mem = argv.indexOf('--memory')
          if (mem > 0) c.memory = Number(argv[mem + 1])
          const restart = argv.indexOf('--restart')
          if (restart > 0) c.restart = argv[restart + 1] ?? ''
        }
        return { code: 0, stdout: `${name}\n`, stderr: '' }
      }
      return { code: 127, stdout: '', stderr: 'unknown command' }
    },
  }
  return { runner, calls, state }
}
