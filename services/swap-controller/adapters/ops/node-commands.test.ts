import { describe, expect, it } from 'vitest'
import { SshError } from '../../../../shared/ssh/errors.ts'
import { FakeSshNode, FakeSshNodes } from '../../testing/fakes.ts'
import { createNodeCommands } from './node-commands.ts'

describe('createNodeCommands', () => {
  it('runs the argv on the named node with the budget and returns the exit code and output', async () => {
    const node = new FakeSshNode('spark-2', () => ({ code: 3, stdout: 'out\n', stderr: 'err\n' }))
    const runner = createNodeCommands({ ssh: new FakeSshNodes().add(node) })
    const res = await runner.run({ node: 'spark-2', argv: ['docker', 'inspect', 'x'] }, { timeoutMs: 1234 })
    expect(res).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\n' })
    expect(node.calls).toEqual([['docker', 'inspect', 'x']])
    expect(node.options[0]?.timeoutMs).toBe(1234)
  })

  it('throws for a node that is not in the inventory, and passes SSH errors on', async () => {
    const down = new FakeSshNode('spark-2', () => new SshError('unavailable', 'spark-2', 'not connected'))
    const runner = createNodeCommands({ ssh: new FakeSshNodes().add(down), defaultTimeoutMs: 50 })
    await expect(runner.run({ node: 'spark-9', argv: ['true'] })).rejects.toThrow(
      /spark-9.*no SSH connection/,
    )
    await expect(runner.run({ node: 'spark-2', argv: ['true'] })).rejects.toThrow(/not connected/)
    expect(down.options[0]?.timeoutMs).toBe(50)
  })
})
