import { describe, expect, it } from 'vitest'
import type { EnvSource } from '../../../../shared/config.ts'
import { loadMonitorConfig } from '../../config.ts'
import type { Target } from '../ports.ts'
import { buildTargets } from './build.ts'

const PAIR: EnvSource = { SPARK1_HOST: 'spark-1.example', SPARK2_HOST: 'spark-2.example' }

const build = (env: EnvSource) => buildTargets(loadMonitorConfig(env))
const byId = (targets: Target[]) => new Map(targets.map((t) => [t.id, t]))

describe('buildTargets: services', () => {
  it('watches every service but the monitor, at its URL', () => {
    const { targets } = build({ SPEECH_PROXY_URL: 'http://control.example:7000/' })
    const services = targets.filter((t) => t.kind === 'service')
    expect(services.map((t) => t.id)).toEqual([
      'gateway',
      'swap-controller',
      'speech-proxy',
      'vector-search',
      'redaction-gateway',
    ])
    expect(byId(targets).get('speech-proxy')).toEqual({
      id: 'speech-proxy',
      kind: 'service',
      title: 'speech-proxy service',
      host: null,
      legacySubject: null,
      origins: ['http://control.example:7000'],
      tcp: { host: 'control.example', port: 7000 },
      http: { url: 'http://control.example:7000/health' },
      disabled: false,
    })
    expect(byId(targets).get('gateway')?.tcp).toEqual({ host: '127.0.0.1', port: 9999 })
  })

  it('refuses a service URL that is not one, naming its key', () => {
    expect(() => build({ VECTOR_SEARCH_URL: 'not a url' })).toThrow(
      /VECTOR_SEARCH_URL: must be an http\(s\) URL/,
    )
  })
})

describe('buildTargets: nodes', () => {
  it('watches the earlier pair by TCP and SSH banner, with their earlier subjects', () => {
    const { targets } = build({ ...PAIR, SPARK2_SSH_PORT: '2222' })
    const nodes = targets.filter((t) => t.kind === 'node')
    expect(nodes).toEqual([
      {
        id: 'spark-1',
        kind: 'node',
        title: 'Spark node spark-1',
        host: null,
        legacySubject: 'spark1',
        origins: [],
        tcp: { host: 'spark-1.example', port: 22 },
        ssh: { host: 'spark-1.example', port: 22 },
        disabled: false,
      },
      expect.objectContaining({
        id: 'spark-2',
        legacySubject: 'spark2',
        tcp: { host: 'spark-2.example', port: 2222 },
        ssh: { host: 'spark-2.example', port: 2222 },
      }),
    ])
    expect(nodes.every((n) => n.http === undefined)).toBe(true)
  })

  it('reads SPARK_NODES with the swap-controller schema, any number of nodes', () => {
    const SPARK_NODES = JSON.stringify([
      { name: 'spark-1', host: 'spark-1.example', user: 'u', role: 'head' },
      { name: 'spark-2', host: 'spark-2.example', user: 'u', role: 'worker', ssh_port: 2200 },
      { name: 'gx10', host: 'gx10.example', user: 'u', role: 'worker' },
    ])
    const { targets, warnings } = build({ SPARK_NODES, SPARK1_HOST: 'elsewhere.example' })
    const nodes = targets.filter((t) => t.kind === 'node')
    expect(nodes.map((n) => [n.id, n.legacySubject, n.ssh])).toEqual([
      ['spark-1', 'spark1', { host: 'spark-1.example', port: 22 }],
      ['spark-2', 'spark2', { host: 'spark-2.example', port: 2200 }],
      ['gx10', null, { host: 'gx10.example', port: 22 }],
    ])
    expect(warnings.join('\n')).toMatch(/SPARK_NODES is set/)
  })

  it('refuses a SPARK_NODES value the swap-controller would refuse', () => {
    const noUser = JSON.stringify([{ name: 'spark-1', host: 'spark-1.example', role: 'head' }])
    expect(() => build({ SPARK_NODES: noUser })).toThrow(/SPARK_NODES\.0\.user/)
    expect(() => build({ SPARK_NODES: '[{' })).toThrow(/SPARK_NODES: must be a JSON array/)
  })

  it('says so when no node is configured', () => {
    const { targets, warnings } = build({})
    expect(targets.some((t) => t.kind === 'node')).toBe(false)
    expect(warnings.join('\n')).toMatch(/no Spark node is configured/)
  })
})

describe('buildTargets: upstreams', () => {
  it('finds each upstream where its service looks, with its probes and node', () => {
    const t = byId(build(PAIR).targets)
    expect(t.get('vllm')).toEqual({
      id: 'vllm',
      kind: 'upstream',
      title: 'vLLM on spark-1',
      host: 'spark-1',
      legacySubject: 'vllm',
      origins: ['http://spark-1.example:8888'],
      tcp: { host: 'spark-1.example', port: 8888 },
      http: { url: 'http://spark-1.example:8888/health' },
      functional: { method: 'GET', url: 'http://spark-1.example:8888/v1/models' },
      disabled: false,
    })
    expect(t.get('parakeet')).toMatchObject({
      title: 'Parakeet (speech-to-text)',
      host: 'spark-2',
      tcp: { host: 'spark-2.example', port: 8000 },
      http: { url: 'http://spark-2.example:8000/health' },
    })
    expect(t.get('parakeet')?.functional).toBeUndefined()
    expect(t.get('kokoro')).toMatchObject({
      host: 'spark-2',
      http: { url: 'http://spark-2.example:8880/health' },
      functional: { method: 'GET', url: 'http://spark-2.example:8880/v1/audio/voices' },
    })
    expect(t.get('embeddings')).toMatchObject({
      host: 'spark-2',
      http: { url: 'http://spark-2.example:8088/health' },
    })
    expect(t.get('embeddings')?.functional).toBeUndefined()
    expect(t.get('qdrant')).toMatchObject({
      host: 'spark-2',
      http: { url: 'http://spark-2.example:6333/readyz' },
      functional: { method: 'GET', url: 'http://spark-2.example:6333/collections' },
    })
  })

  it('takes explicit URLs, hosts and ports first, as the services do', () => {
    const t = byId(
      build({
        ...PAIR,
        VLLM_HOST: 'spark-2.example',
        VLLM_PORT: '9000',
        PARAKEET_URL: 'http://asr.lan:8001/',
        KOKORO_HOST: 'spark-1.example',
        KOKORO_PORT: '9880',
        EMBED_URL: 'http://[fd00::5]:8088',
      }).targets,
    )
    // On spark-2's host: not its usual node, but the node with that host.
    expect(t.get('vllm')).toMatchObject({
      title: 'vLLM on spark-2',
      host: 'spark-2',
      tcp: { host: 'spark-2.example', port: 9000 },
    })
    expect(t.get('parakeet')).toMatchObject({
      host: null,
      origins: ['http://asr.lan:8001'],
      tcp: { host: 'asr.lan', port: 8001 },
      http: { url: 'http://asr.lan:8001/health' },
    })
    expect(t.get('kokoro')).toMatchObject({ host: 'spark-1', tcp: { host: 'spark-1.example', port: 9880 } })
    expect(t.get('embeddings')).toMatchObject({
      tcp: { host: 'fd00::5', port: 8088 },
      origins: ['http://[fd00::5]:8088'],
    })
  })

  it('places each upstream on its usual node when every node has the same host (the simulator)', () => {
    const t = byId(build({ SPARK1_HOST: '127.0.0.1', SPARK2_HOST: '127.0.0.1' }).targets)
    expect(t.get('vllm')?.host).toBe('spark-1')
    for (const id of ['parakeet', 'kokoro', 'embeddings', 'qdrant']) expect(t.get(id)?.host).toBe('spark-2')
  })

  it('leaves out an upstream with no address, saying what to set', () => {
    const { targets, warnings } = build({ SPARK2_HOST: 'spark-2.example' })
    expect(targets.some((t) => t.id === 'vllm')).toBe(false)
    expect(warnings).toContain(
      'vllm is not watched: its address is not configured (set VLLM_HOST, or SPARK1_HOST (or a head node in SPARK_NODES))',
    )
    const none = build({})
    expect(none.targets.filter((t) => t.kind === 'upstream')).toEqual([])
    expect(none.warnings.filter((w) => w.includes('is not watched')).map((w) => w.split(' ')[0])).toEqual([
      'vllm',
      'parakeet',
      'kokoro',
      'embeddings',
    ])
  })

  it('watches no Qdrant while vector-search keeps its vectors itself', () => {
    expect(byId(build({ ...PAIR, VECTOR_STORE: 'embedded' }).targets).has('qdrant')).toBe(false)
    expect(build({ VECTOR_STORE: 'qdrant' }).warnings.join('\n')).toMatch(/qdrant is not watched/)
  })

  it('lists a disabled upstream or node as disabled, under its earlier name too', () => {
    const t = byId(build({ ...PAIR, DISABLED_SERVICES: 'Kokoro, spark2' }).targets)
    expect(t.get('kokoro')?.disabled).toBe(true)
    expect(t.get('spark-2')?.disabled).toBe(true)
    expect(t.get('parakeet')?.disabled).toBe(false)
  })
})

describe('buildTargets: ids', () => {
  it('are unique, and a node may not take a service’s name', () => {
    const { targets } = build(PAIR)
    expect(new Set(targets.map((t) => t.id)).size).toBe(targets.length)
    const SPARK_NODES = JSON.stringify([{ name: 'qdrant', host: 'spark-1.example', user: 'u', role: 'head' }])
    expect(() => build({ SPARK_NODES, QDRANT_URL: 'http://vector-box.example:6333' })).toThrow(
      /node name qdrant/,
    )
  })
})
