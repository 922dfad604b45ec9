import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { authorizeCommand, publicKeyShown } from './public-key-result.ts'

const run = promisify(execFile)
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEXAMPLEKEYEXAMPLEKEYEXAMPLEKEYEXAMPLE spark-control'
const nodes = [
  { name: 'spark-1', host: 'spark-1.example', user: 'owner', ssh_port: 22, role: 'head' as const },
  { name: 'spark-2', host: 'spark-2.example', user: "o'brien", ssh_port: 2222, role: 'worker' as const },
]

describe('the public key result', () => {
  it('gives per Spark a command that hands ssh the login, a constant remote command and the key on stdin', async () => {
    for (const node of nodes) {
      // A stand-in ssh prints what it was given: arguments one per line, then stdin.
      const script = `ssh() { printf '%s\\n' "$@"; cat; }; ${authorizeCommand(node, KEY)}`
      const { stdout } = await run('sh', ['-c', script])
      expect(stdout.split('\n').filter(Boolean)).toEqual([
        ...(node.ssh_port === 22 ? [] : ['-p', String(node.ssh_port)]),
        `${node.user}@${node.host}`,
        'mkdir -p ~/.ssh && chmod 700 ~/.ssh && cat >> ~/.ssh/authorized_keys && chmod 600 ~/.ssh/authorized_keys',
        KEY,
      ])
    }
  })

  it('shows the key copyable and where it must go; says to configure Sparks when none is', () => {
    const shown = publicKeyShown(KEY, nodes)
    expect(shown.result?.type).toBe('group')
    const [keyMember, where] = shown.result?.type === 'group' ? shown.result.value : []
    expect(keyMember).toMatchObject({ name: 'Public key', value: KEY, copyable: true, masked: false })
    expect(where?.type === 'group' && where.value.map((m) => m.name)).toEqual([
      'spark-1 (head): owner@spark-1.example',
      "spark-2 (worker): o'brien@spark-2.example",
    ])
    expect(shown.message).toContain('each of the 2 Sparks')
    const none = publicKeyShown(KEY, [], { title: 'New SSH key', lead: 'Replaced. ' })
    expect(none.title).toBe('New SSH key')
    expect(none.message).toMatch(/^Replaced\. No Spark is configured yet: run "Configure Sparks"/)
    expect(none.result?.type === 'group' && none.result.value).toHaveLength(1)
  })
})
