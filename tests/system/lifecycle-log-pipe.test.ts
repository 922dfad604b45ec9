/**
 * A service whose log pipe is broken (the process reading its output died) still exits on SIGTERM,
 * within the 10 s budget: pino's exit flush used to retry the failed write forever.
 */
import { describe, expect, it } from 'vitest'
import type { ServiceName } from '../../shared/topology.ts'
import { exitOf, startAlone } from '../support/lifecycle.ts'

describe('a broken log pipe', () => {
  it.each<ServiceName>(['connectivity-monitor', 'gateway'])(
    '%s exits promptly on SIGTERM with its stdout and stderr readers gone',
    async (name) => {
      const service = await startAlone(name)
      // What a dead parent leaves: pipes whose read ends are closed.
      service.process.stdout!.destroy()
      service.process.stderr!.destroy()
      // The first write into the broken pipe is the shutdown's own log line: still in flight when
      // the process exits, it was what the exit flush retried forever.
      const exited = exitOf(service.process)
      service.process.kill('SIGTERM')
      const { code, signal, ms } = await exited
      expect({ code, signal }).toEqual({ code: 0, signal: null })
      expect(ms).toBeLessThan(10_000)
    },
    20_000,
  )
})
