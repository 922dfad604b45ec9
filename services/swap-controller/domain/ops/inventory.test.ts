import { describe, expect, it } from 'vitest'
import { loadSwapControllerConfig } from '../../config.ts'
import { buildServiceInventory } from './inventory.ts'

const NODES = [
  { name: 'spark-1', host: 'spark-1.example', role: 'head' as const },
  { name: 'spark-2', host: 'spark-2.example', role: 'worker' as const },
]
const config = (env: Record<string, string> = {}) => loadSwapControllerConfig(env)
const byName = (inv: ReturnType<typeof buildServiceInventory>) =>
  Object.fromEntries(inv.entries.map((e) => [e.spec.name, e]))

describe('service inventory', () => {
  it('defaults to the earlier layout on spark-2, health on its host and usual port', () => {
    const inv = buildServiceInventory(config(), NODES)
    expect(inv.warnings).toEqual([])
    expect(inv.entries.map((e) => [e.spec.name, e.spec.node, e.spec.container, e.healthUrl])).toEqual([
      ['parakeet', 'spark-2', 'parakeet-asr', 'http://spark-2.example:8000/health'],
      ['kokoro', 'spark-2', 'kokoro-tts', 'http://spark-2.example:8880/health'],
      ['embeddings', 'spark-2', 'bge-m3', 'http://spark-2.example:8088/health'],
      ['qdrant', 'spark-2', 'qdrant', 'http://spark-2.example:6333/healthz'],
    ])
    expect(inv.entries[0]?.spec).toMatchObject({
      kind: 'stt',
      restart_policy: 'unless-stopped',
      custom: false,
    })
  })

  it('follows PARAKEET_URL/_CONTAINER, KOKORO_HOST/_PORT and EMBED_URL', () => {
    const inv = byName(
      buildServiceInventory(
        config({
          PARAKEET_URL: 'http://spark-2.example:9000/',
          PARAKEET_CONTAINER: 'asr',
          KOKORO_HOST: 'spark-1.example',
          KOKORO_PORT: '8881',
          EMBED_URL: 'http://embed.example:7000',
        }),
        NODES,
      ),
    )
    expect(inv.parakeet).toMatchObject({ healthUrl: 'http://spark-2.example:9000/health' })
    expect(inv.parakeet?.spec).toMatchObject({ container: 'asr', port: 9000, node: 'spark-2' })
    expect(inv.kokoro?.spec).toMatchObject({ node: 'spark-1', port: 8881 })
    expect(inv.kokoro?.healthUrl).toBe('http://spark-1.example:8881/health')
    // A host that is no node keeps the default node; health goes where the URL says.
    expect(inv.embeddings).toMatchObject({
      healthUrl: 'http://embed.example:7000/health',
      spec: { node: 'spark-2' },
    })
  })

  it('SPARK_SERVICES replaces fields of a default and adds custom services and a second vLLM', () => {
    const services = [
      { name: 'parakeet', memory_cap_bytes: 8 * 1024 ** 3, auto_restart: false },
      {
        name: 'vllm2',
        kind: 'llm',
        node: 'spark-1',
        container: 'vllm_second',
        port: 8001,
        health_path: '/health',
      },
      { name: 'bot', update_dir: '~/bot' },
    ]
    const inv = byName(buildServiceInventory(config({ SPARK_SERVICES: JSON.stringify(services) }), NODES))
    expect(inv.parakeet?.spec).toMatchObject({
      memory_cap_bytes: 8 * 1024 ** 3,
      auto_restart: false,
      kind: 'stt',
    })
    expect(inv.vllm2).toMatchObject({
      healthUrl: 'http://spark-1.example:8001/health',
      spec: { kind: 'llm', custom: true, auto_restart: false },
    })
    expect(inv.bot?.spec).toMatchObject({
      kind: 'custom',
      container: 'bot',
      node: 'spark-2',
      health_path: null,
    })
    expect(inv.bot?.healthUrl).toBeNull()
  })

  it('an unknown node is a warning and a problem, never a crash', () => {
    const inv = buildServiceInventory(
      config({ SPARK_SERVICES: JSON.stringify([{ name: 'x', node: 'spark-9', container: 'x' }]) }),
      NODES,
    )
    expect(inv.warnings).toEqual([expect.stringMatching(/^Service x: node spark-9 is not in the inventory/)])
    expect(byName(inv).x?.problem).toMatch(/spark-9/)
  })

  it('DISABLED_SERVICES hides by service or container name, case-insensitively', () => {
    const inv = byName(buildServiceInventory(config({ DISABLED_SERVICES: 'Kokoro,qdrant' }), NODES))
    expect([inv.kokoro?.spec.disabled, inv.qdrant?.spec.disabled, inv.parakeet?.spec.disabled]).toEqual([
      true,
      true,
      false,
    ])
  })

  it('a bad SPARK_SERVICES stops the start with the entry and field named', () => {
    expect(() => config({ SPARK_SERVICES: '[{"name": "a b"}]' })).toThrow(/SPARK_SERVICES/)
    expect(() => config({ SPARK_SERVICES: '{' })).toThrow(/JSON array/)
    expect(() => config({ SPARK_SERVICES: '[{"name": "x", "container": "x; rm -rf /"}]' })).toThrow(
      /container/,
    )
    expect(() => config({ SPARK_SERVICES: '[{"name": "x"}, {"name": "x"}]' })).toThrow(/listed twice/)
    expect(() => config({ SPARK_SERVICES: '[{"name": "x", "colour": "red"}]' })).toThrow(/SPARK_SERVICES/)
  })
})
