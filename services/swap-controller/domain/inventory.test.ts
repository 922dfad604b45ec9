import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../../shared/config.ts'
import { loadSwapControllerConfig, sshKeyPath } from '../config.ts'
import { buildInventory, resolveDockerDir, sshTargets } from './inventory.ts'

const inventoryOf = (env: Record<string, string>) => buildInventory(loadSwapControllerConfig(env))

function configProblems(env: Record<string, string>): string {
  try {
    loadSwapControllerConfig(env)
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    return (err as ConfigError).problems.join('\n')
  }
  return expect.fail('expected a ConfigError')
}

describe('configuration defaults', () => {
  it('treats blank values as unset, like the earlier version', () => {
    const config = loadSwapControllerConfig({
      SPARK1_HOST: '192.0.2.10',
      SPARK1_USER: 'owner',
      SPARK2_HOST: '',
      SPARK2_USER: '',
      VLLM_PORT: '',
      VLLM_CONTAINER: ' ',
      SPARK1_SSH_PORT: '',
      SPARK_VLLM_DOCKER_DIR: '',
      SPARK_NODES: '',
      DISABLED_SERVICES: '',
      SSH_KEY_PATH: '',
    })
    expect(config).toMatchObject({
      PORT: 9101,
      VLLM_PORT: 8888,
      VLLM_CONTAINER: 'vllm_node',
      SPARK1_SSH_PORT: 22,
      SPARK_VLLM_DOCKER_DIR: '~/spark-vllm-docker',
      DISABLED_SERVICES: [],
      SSH_STRICT_HOST_KEYS: false,
    })
    expect(sshKeyPath(config)).toBe('.data/ssh/id_ed25519')
    const inv = buildInventory(config)
    expect(inv.nodes).toEqual([
      {
        name: 'spark-1',
        host: '192.0.2.10',
        user: 'owner',
        sshPort: 22,
        role: 'head',
        dockerDir: '/home/owner/spark-vllm-docker',
      },
    ])
    expect(inv.vllm).toEqual({
      host: '192.0.2.10',
      port: 8888,
      container: 'vllm_node',
      baseUrl: 'http://192.0.2.10:8888',
    })
  })

  it('builds the two-node pair with ports, and keeps a node without a user as not reachable', () => {
    const inv = inventoryOf({
      SPARK1_HOST: '192.0.2.10',
      SPARK1_USER: 'root',
      SPARK1_SSH_PORT: '2222',
      SPARK2_HOST: '192.0.2.11',
      VLLM_HOST: '192.0.2.99',
      VLLM_PORT: '8000',
      SPARK_VLLM_DOCKER_DIR: '/opt/spark-vllm-docker',
    })
    expect(inv.source).toBe('SPARK1/SPARK2')
    expect(inv.nodes.map((n) => [n.name, n.role, n.user, n.sshPort, n.dockerDir])).toEqual([
      ['spark-1', 'head', 'root', 2222, '/opt/spark-vllm-docker'],
      ['spark-2', 'worker', null, 22, '/opt/spark-vllm-docker'],
    ])
    expect(inv.vllm.baseUrl).toBe('http://192.0.2.99:8000')
    expect(sshTargets(inv)).toEqual([{ name: 'spark-1', host: '192.0.2.10', port: 2222, user: 'root' }])
    expect(inv.warnings.join('\n')).toContain('SPARK2_USER')
  })

  it('reports vLLM as not configured when there is neither a head nor VLLM_HOST', () => {
    const inv = inventoryOf({ SPARK2_HOST: '192.0.2.11', SPARK2_USER: 'u' })
    expect(inv.head).toBeNull()
    expect(inv.vllm.baseUrl).toBeNull()
    expect(inv.warnings.join('\n')).toContain('vLLM is not configured')
    expect(inventoryOf({}).nodes).toEqual([])
  })

  it('warns about .local names and brackets IPv6 hosts in URLs', () => {
    const inv = inventoryOf({ SPARK1_HOST: 'spark-one.local', SPARK1_USER: 'u', VLLM_HOST: 'fd00::10' })
    expect(inv.warnings.join('\n')).toContain('mDNS')
    expect(inv.vllm.baseUrl).toBe('http://[fd00::10]:8888')
  })
})

describe('SPARK_NODES', () => {
  const nodes = [
    { name: 'alpha', host: '192.0.2.21', user: 'ops', role: 'head' },
    { name: 'beta', host: '192.0.2.22', user: 'ops', ssh_port: 2200, role: 'worker' },
    { name: 'gamma', host: '192.0.2.23', user: 'root', role: 'worker' },
  ]

  it('overrides the SPARK1/SPARK2 pair with any number of nodes', () => {
    const inv = inventoryOf({
      SPARK_NODES: JSON.stringify(nodes),
      SPARK1_HOST: '192.0.2.10',
      SPARK1_USER: 'x',
    })
    expect(inv.source).toBe('SPARK_NODES')
    expect(inv.nodes.map((n) => [n.name, n.sshPort, n.dockerDir])).toEqual([
      ['alpha', 22, '/home/ops/spark-vllm-docker'],
      ['beta', 2200, '/home/ops/spark-vllm-docker'],
      ['gamma', 22, '/root/spark-vllm-docker'],
    ])
    expect(inv.head?.name).toBe('alpha')
    expect(inv.vllm.baseUrl).toBe('http://192.0.2.21:8888')
    expect(inv.warnings.join('\n')).toContain('ignored')
  })

  it('names every bad field', () => {
    const bad = [
      { name: '-x', host: '192.0.2.1', user: 'ops', role: 'head' },
      { name: 'b', host: 'a b', user: 'ops;rm', role: 'boss', ssh_port: 0 },
      { name: 'c', host: '192.0.2.3', user: 'ops', role: 'worker', extra: 1 },
    ]
    const problems = configProblems({ SPARK_NODES: JSON.stringify(bad) })
    for (const field of [
      'SPARK_NODES.0.name',
      'SPARK_NODES.1.host',
      'SPARK_NODES.1.user',
      'SPARK_NODES.1.role',
      'SPARK_NODES.1.ssh_port',
      'SPARK_NODES.2',
    ])
      expect(problems).toContain(field)
  })

  it('refuses malformed JSON, duplicate names and a missing or double head', () => {
    expect(configProblems({ SPARK_NODES: '[{' })).toContain('SPARK_NODES: must be a JSON array')
    const dup = [nodes[0], { ...nodes[1], name: 'alpha' }]
    expect(configProblems({ SPARK_NODES: JSON.stringify(dup) })).toContain('duplicate node name alpha')
    const noHead = [nodes[1]]
    expect(configProblems({ SPARK_NODES: JSON.stringify(noHead) })).toContain(
      'exactly one node with role "head"',
    )
    expect(configProblems({ SPARK_NODES: '[]' })).toContain('at least one node')
  })

  it('validates the other new keys', () => {
    const problems = configProblems({
      SPARK_VLLM_DOCKER_DIR: '~/../etc',
      VLLM_CONTAINER: 'vllm node',
      SPARK1_SSH_PORT: '70000',
      SPARK1_HOST: 'host;id',
    })
    for (const key of ['SPARK_VLLM_DOCKER_DIR', 'VLLM_CONTAINER', 'SPARK1_SSH_PORT', 'SPARK1_HOST'])
      expect(problems).toContain(key)
  })
})

describe('resolveDockerDir', () => {
  it('resolves ~ per user and leaves absolute paths alone', () => {
    expect(resolveDockerDir('~/spark-vllm-docker', 'ops')).toBe('/home/ops/spark-vllm-docker')
    expect(resolveDockerDir('~/spark-vllm-docker', 'root')).toBe('/root/spark-vllm-docker')
    expect(resolveDockerDir('~/spark-vllm-docker', null)).toBeNull()
    expect(resolveDockerDir('/srv/eugr', null)).toBe('/srv/eugr')
  })
})
