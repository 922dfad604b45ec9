/**
 * The shared disk scan without SSH: one caller giving up must not fail the scan for the others,
 * and a view in which every node failed is not cached.
 */
import { describe, expect, it } from 'vitest'
import { SshError } from '../../../shared/ssh/errors.ts'
import type { ExecOptions } from '../../../shared/ssh/types.ts'
import { FakeSshNode, FakeSshNodes } from '../testing/fakes.ts'
import { createModelDisk } from './model-disk.ts'

const LISTING = '1000\tmodels--org--small/snapshots/abc/model.safetensors\n'

/** Nodes whose `find` waits for `open()` and, like the SSH kit, fails when its signal aborts. */
function gatedNodes(names: string[]) {
  let open = () => {}
  let gate = new Promise<void>((r) => (open = r))
  let fail = false
  const ssh = new FakeSshNodes()
  for (const name of names) {
    const node = new FakeSshNode(name, () => ({ stdout: LISTING }))
    const exec = node.exec.bind(node)
    node.exec = async (argv: readonly string[], options: ExecOptions = {}) => {
      const { signal } = options
      await new Promise<void>((resolve, reject) => {
        signal?.addEventListener('abort', () => reject(new SshError('aborted', name, 'aborted')), {
          once: true,
        })
        void gate.then(resolve)
      })
      if (fail) throw new SshError('connect_failed', name, 'ECONNREFUSED')
      return exec(argv, options)
    }
    ssh.add(node)
  }
  const nodes = names.map((name) => ({ name, user: 'u' }))
  return {
    ssh,
    nodes,
    open: () => open(),
    reset(failing: boolean) {
      fail = failing
      gate = new Promise<void>((r) => (open = r))
    },
  }
}

describe('model disk scan', () => {
  it('keeps scanning for the others when the first caller gives up', async () => {
    const g = gatedNodes(['spark-1', 'spark-2'])
    const disk = createModelDisk({ ssh: g.ssh, nodes: g.nodes, cacheDir: '/data/hf' })
    const client = new AbortController()
    const first = disk.scan({ signal: client.signal })
    const second = disk.scan()
    client.abort(new Error('client went away'))
    await expect(first).rejects.toThrow('client went away')
    g.open()
    const view = await second
    expect(view.failed).toEqual([])
    expect(view.models.map((m) => m.repo)).toEqual(['org/small'])
    expect(await disk.scan()).toBe(view)
  })

  it('does not cache a view in which every node failed', async () => {
    const g = gatedNodes(['spark-1', 'spark-2'])
    const disk = createModelDisk({ ssh: g.ssh, nodes: g.nodes, cacheDir: '/data/hf' })
    g.reset(true)
    g.open()
    const down = await disk.scan()
    expect(down.failed.map((f) => f.node)).toEqual(['spark-1', 'spark-2'])
    g.reset(false)
    g.open()
    const up = await disk.scan()
    expect(up.failed).toEqual([])
    expect(up.models).toHaveLength(1)
  })

  it('ends a hung scan at its own deadline', async () => {
    const g = gatedNodes(['spark-1'])
    const disk = createModelDisk({ ssh: g.ssh, nodes: g.nodes, cacheDir: '/data/hf', scanTimeoutMs: 50 })
    const view = await disk.scan()
    expect(view.failed).toEqual([{ node: 'spark-1', error: expect.stringMatching(/aborted/) }])
  })
})
