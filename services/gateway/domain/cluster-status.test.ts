import { describe, expect, it } from 'vitest'
import { assessCapabilities, type Capability } from '../../../shared/capabilities.ts'
import type { JobView } from '../../../shared/contracts/swap-controller.ts'
import type { DependencyReport, ReadyReport } from '../../../shared/readiness.ts'
import { BACKEND_SERVICES } from '../../../shared/topology.ts'
import { buildClusterStatus, type ServiceProbeResult, serviceDependency } from './cluster-status.ts'
import type { BackendName } from './route-table.ts'

type Dep = DependencyReport & { critical: boolean }
const NOW = new Date('2026-01-02T03:04:05Z')

const upstream = (
  state: Dep['state'],
  kind: string,
  base_url: string | null,
  model: string | null,
  extra: Partial<Dep> = {},
): Dep => ({
  state,
  critical: false,
  info: { kind, base_url, model, disabled: state === 'disabled' },
  ...extra,
})
const node = (name: string, host: string, state: Dep['state']): Dep => ({
  state,
  critical: false,
  info: { kind: 'node', name, host, role: name === 'spark-1' ? 'llm' : 'speech' },
})

function report(
  deps: Record<string, Dep>,
  status: ReadyReport['status'] = 'ready',
  simulated = false,
): ReadyReport {
  return { service: 'x', status, simulated, checked_at: NOW.toISOString(), dependencies: deps }
}

/** A report's capabilities as the service's own readiness would assess them. */
const assessedBy = (r: ReadyReport, declared: Capability[]) => assessCapabilities(declared, r.dependencies)

/** A healthy cluster: every backend answers, every upstream is up, a model is loaded. */
function healthy(): Record<BackendName, ReadyReport | null> {
  return {
    'swap-controller': report({
      vllm: upstream('up', 'llm', 'http://<spark-1-ip>:8888/v1', 'Qwen/Qwen3-8B'),
      'node:spark-1': node('spark-1', 'spark-1.test', 'up'),
      'node:spark-2': node('spark-2', 'spark-2.test', 'up'),
    }),
    'speech-proxy': report({
      parakeet: upstream('up', 'stt', 'http://spark-2.test:8000', 'parakeet-tdt'),
      kokoro: upstream('up', 'tts', 'http://spark-2.test:8880', 'kokoro'),
    }),
    'vector-search': report({
      embeddings: upstream('up', 'embeddings', 'http://spark-2.test:8088', 'bge-m3'),
      qdrant: upstream('up', 'vector_db', 'http://spark-2.test:6333', null),
    }),
    'redaction-gateway': report({}),
    'connectivity-monitor': report({ 'node:spark-2': node('spark-2', 'spark-2.test', 'up') }),
  }
}

function probes(
  reports: Record<BackendName, ReadyReport | null>,
  disabled: string[] = [],
): ServiceProbeResult[] {
  return BACKEND_SERVICES.map((name) => ({
    name,
    url: `http://127.0.0.1/${name}`,
    report: disabled.includes(name) ? null : reports[name],
    error: reports[name] ? null : 'connection refused',
    latency_ms: reports[name] ? 3 : null,
    disabled: disabled.includes(name),
  }))
}

const build = (
  reports: Record<BackendName, ReadyReport | null>,
  disabled: string[] = [],
  simulated = false,
) => buildClusterStatus(probes(reports, disabled), { disabled, simulated, now: NOW })

const OPTIONS = { disabled: [], simulated: false, now: NOW }

/** A running swap as `GET /api/swap/state` shows it. */
const switchJob = (status: JobView['status']): JobView => ({
  job_id: 'swp_0123456789abcdef',
  status,
  outcome: 'running',
  recipe: 'llama-70b',
  mode: 'cluster',
  model: 'meta/Llama-70B',
  from_model: 'Qwen/Qwen3-8B',
  started_at: '2026-01-02T03:03:00.000Z',
  finished_at: null,
  transitions: [],
  durations_ms: {},
  error: null,
  log_excerpt: null,
  rollback: null,
  cancel_requested: false,
  warnings: [],
  progress: { phase: status, phase_percent: null, percent: 40, eta_s: 41.2, stalled: false },
})

describe('cluster status', () => {
  it('says everything is working when it is, with the loaded model', () => {
    const status = build(healthy())
    expect(status).toMatchObject({
      overall: 'ok',
      summary: 'Everything is working',
      loaded_model: 'Qwen/Qwen3-8B',
    })
    expect(status.checked_at).toBe(NOW.toISOString())
    expect(status.services.map((s) => s.state)).toEqual(['up', 'up', 'up', 'up', 'up'])
    expect(status.upstreams.map((u) => u.name)).toEqual([
      'vllm',
      'parakeet',
      'kokoro',
      'embeddings',
      'qdrant',
    ])
    expect(status.upstreams.find((u) => u.name === 'parakeet')).toMatchObject({
      kind: 'stt',
      ready: true,
      via: 'speech-proxy',
      base_url: 'http://spark-2.test:8000',
      model: 'parakeet-tdt',
    })
    expect(status.nodes.map((n) => [n.name, n.reachable])).toEqual([
      ['spark-1', true],
      ['spark-2', true],
    ])
  })

  it('names an unreachable Spark once, not every upstream on it', () => {
    const r = healthy()
    r['swap-controller']!.dependencies['node:spark-2'] = node('spark-2', 'spark-2.test', 'down')
    r['connectivity-monitor']!.dependencies['node:spark-2'] = node('spark-2', 'spark-2.test', 'down')
    for (const name of ['parakeet', 'kokoro'] as const) r['speech-proxy']!.dependencies[name]!.state = 'down'
    r['speech-proxy']!.status = 'degraded'
    const status = build(r)
    expect(status.overall).toBe('degraded')
    expect(status.summary).toBe('Spark 2 is unreachable')
    expect(status.nodes.find((n) => n.name === 'spark-2')).toMatchObject({
      reachable: false,
      state: 'down',
      host: 'spark-2.test',
    })
  })

  it('counts a node as reachable when any service reaches it', () => {
    const r = healthy()
    r['connectivity-monitor']!.dependencies['node:spark-2'] = node('spark-2', 'spark-2.test', 'down')
    expect(build(r).nodes.find((n) => n.name === 'spark-2')?.reachable).toBe(true)
  })

  it('reports a backend that does not answer as down, and its upstreams as unknown', () => {
    const status = build({ ...healthy(), 'speech-proxy': null })
    expect(status.services.find((s) => s.name === 'speech-proxy')).toMatchObject({
      state: 'down',
      detail: 'Not answering: connection refused.',
    })
    expect(status.upstreams.find((u) => u.name === 'kokoro')).toMatchObject({
      state: 'unknown',
      ready: false,
    })
    expect(status.summary).toBe('Speech is not answering')
  })

  it('says so plainly when nothing answers', () => {
    const none = Object.fromEntries(BACKEND_SERVICES.map((s) => [s, null])) as Record<BackendName, null>
    expect(build(none)).toMatchObject({
      overall: 'down',
      summary: "None of Spark Control's services is answering",
      loaded_model: null,
    })
  })

  it('says "Speech is busy" when speech upstreams are busy, and stays ok', () => {
    const r = healthy()
    r['speech-proxy']!.dependencies.parakeet!.state = 'busy'
    r['speech-proxy']!.status = 'degraded'
    const status = build(r)
    expect(status.summary).toBe('Speech is busy')
    expect(status.upstreams.find((u) => u.name === 'parakeet')?.ready).toBe(true)
  })

  it('says when no chat model is loaded', () => {
    const r = healthy()
    r['swap-controller']!.dependencies.vllm = upstream('up', 'llm', 'http://spark-1.test:8888/v1', null)
    expect(build(r)).toMatchObject({
      summary: 'Chat model: none loaded',
      loaded_model: null,
      overall: 'degraded',
    })
  })

  it("names a service's own store in words, and leaves the redaction name pass to the chat model's sentence", () => {
    const r = healthy()
    r['swap-controller']!.dependencies.vllm = upstream('up', 'llm', 'http://spark-1.test:8888/v1', null)
    r['redaction-gateway'] = report(
      { local_llm: { state: 'down', critical: false, detail: 'no model is loaded' } },
      'degraded',
    )
    expect(build(r).summary).toBe('Chat model: none loaded')
    r['redaction-gateway'] = report(
      { map_store: { state: 'down', critical: true, detail: 'EACCES' } },
      'degraded',
    )
    expect(build(r).summary).toContain('Redaction has trouble: its encrypted map store is down')
  })

  it('does not name a model for a vLLM that is down', () => {
    const r = healthy()
    r['swap-controller']!.dependencies.vllm!.state = 'down'
    const status = build(r)
    expect(status.loaded_model).toBeNull()
    expect(status.summary).toBe('The chat model server is down')
  })

  it('reports a planned switch as switching, never as the chat model server being down', () => {
    const r = healthy()
    r['swap-controller']!.dependencies.vllm!.state = 'down'
    r['swap-controller']!.status = 'degraded'
    const status = buildClusterStatus(probes(r), { ...OPTIONS, swap: switchJob('loading') })
    expect(status).toMatchObject({
      overall: 'ok',
      summary: 'Switching the chat model to meta/Llama-70B (about 42 s left)',
      loaded_model: null,
      switching: {
        job_id: 'swp_0123456789abcdef',
        status: 'loading',
        model: 'meta/Llama-70B',
        from_model: 'Qwen/Qwen3-8B',
        started_at: '2026-01-02T03:03:00.000Z',
        percent: 40,
        eta_s: 41.2,
      },
    })
    expect(status.upstreams.find((u) => u.name === 'vllm')?.detail).toBe('Switching to meta/Llama-70B.')
  })

  it('still names other faults during a switch, after the switch', () => {
    const r = healthy()
    r['swap-controller']!.dependencies.vllm!.state = 'down'
    r['vector-search'] = null
    const status = buildClusterStatus(probes(r), { ...OPTIONS, swap: switchJob('stopping') })
    expect(status.overall).toBe('degraded')
    expect(status.summary).toBe(
      'Switching the chat model to meta/Llama-70B (about 42 s left); Search is not answering',
    )
  })

  it('reads a finished job as no switch, and a rollback as going back', () => {
    const done = { ...switchJob('ready'), outcome: 'ready' as const, finished_at: NOW.toISOString() }
    expect(buildClusterStatus(probes(healthy()), { ...OPTIONS, swap: done }).switching).toBeNull()
    const back = buildClusterStatus(probes(healthy()), { ...OPTIONS, swap: switchJob('rolling-back') })
    expect(back.summary).toBe('Going back from meta/Llama-70B')
  })

  it('marks upstreams named in DISABLED_SERVICES as disabled and never a problem', () => {
    const status = build(healthy(), ['kokoro'])
    expect(status.upstreams.find((u) => u.name === 'kokoro')).toMatchObject({
      disabled: true,
      ready: false,
      state: 'disabled',
    })
    expect(status.summary).toBe('Everything is working')
  })

  it('keeps a disabled service out of the verdict without probing it', () => {
    const status = build(healthy(), ['redaction-gateway'])
    expect(status.services.find((s) => s.name === 'redaction-gateway')?.state).toBe('not_configured')
    expect(status.overall).toBe('ok')
  })

  it('joins several problems into one sentence', () => {
    const r = { ...healthy(), 'vector-search': null, 'redaction-gateway': null, 'connectivity-monitor': null }
    expect(build(r).summary).toBe('Search is not answering; Redaction is not answering; and 1 more problem')
  })

  it('is simulated when any backend says so, or the gateway is configured so', () => {
    const r = healthy()
    expect(build(r).simulated).toBe(false)
    expect(build(r, [], true).simulated).toBe(true)
    r['vector-search']!.simulated = true
    expect(build(r).simulated).toBe(true)
  })

  it('ignores odd info fields rather than passing them on', () => {
    const r = healthy()
    r['swap-controller']!.dependencies.vllm!.info = { kind: 42, base_url: { x: 1 }, model: ['a'] }
    const vllm = build(r).upstreams.find((u) => u.name === 'vllm')!
    expect(vllm).toMatchObject({ kind: 'llm', base_url: null, model: null })
  })

  it('maps a backend to a dependency of the gateway itself', () => {
    const [swap, speech] = probes({ ...healthy(), 'speech-proxy': null })
    expect(serviceDependency(swap!)).toMatchObject({
      state: 'up',
      info: { url: 'http://127.0.0.1/swap-controller' },
    })
    expect(serviceDependency(speech!)).toMatchObject({ state: 'down', detail: 'connection refused' })
  })
})

describe('capabilities in the cluster status', () => {
  /** The speech-proxy's /ready as it is today: both upstreams up, only the voice list built. */
  function withSpeechCapabilities(): Record<BackendName, ReadyReport | null> {
    const r = healthy()
    const voices: Omit<Capability, 'name'> = {
      title: 'The voice list',
      needs: ['kokoro'],
      built: ['GET /v1/audio/voices'],
      planned: [],
    }
    r['speech-proxy']!.capabilities = assessedBy(r['speech-proxy']!, [
      { name: 'voices', ...voices },
      {
        name: 'transcription',
        title: 'Transcription',
        needs: ['parakeet'],
        built: [],
        planned: ['POST /v1/audio/transcriptions'],
      },
    ])
    r['vector-search']!.capabilities = assessedBy(r['vector-search']!, [
      {
        name: 'embeddings',
        title: 'Embeddings',
        needs: ['embeddings'],
        built: [],
        planned: ['POST /v1/embeddings'],
      },
    ])
    return r
  }

  it('calls a built capability with its upstream up `up`, an unbuilt one `not_built` though its upstream is up', () => {
    const status = build(withSpeechCapabilities())
    expect(status.upstreams.find((u) => u.name === 'parakeet')).toMatchObject({ state: 'up', ready: true })
    expect(status.capabilities.map((c) => [c.service, c.name, c.state, c.ready])).toEqual([
      ['speech-proxy', 'voices', 'up', true],
      ['speech-proxy', 'transcription', 'not_built', false],
      ['vector-search', 'embeddings', 'not_built', false],
    ])
    expect(status.capabilities[1]).toMatchObject({
      title: 'Transcription',
      needs: ['parakeet'],
      planned: ['POST /v1/audio/transcriptions'],
    })
  })

  it("says in a service's detail what it does not serve yet, and keeps the summary about faults", () => {
    const status = build(withSpeechCapabilities())
    const detail = (name: string) => status.services.find((s) => s.name === name)!.detail
    expect(detail('speech-proxy')).toBe('Working; not built yet: Transcription.')
    expect(detail('vector-search')).toBe('Answering; nothing it serves is built yet.')
    expect(detail('swap-controller')).toBe('Working.')
    expect(status.services.map((s) => s.state)).toEqual(['up', 'up', 'up', 'up', 'up'])
    expect(status.summary).toBe('Everything is working')
  })

  it('reads odd capability reports defensively', () => {
    const r = healthy()
    ;(r['speech-proxy'] as { capabilities?: unknown }).capabilities = {
      odd: { state: 'fine', title: 42, needs: 'parakeet', built: [1, 'GET /x'] },
      gone: null,
    }
    expect(build(r).capabilities).toEqual([
      {
        name: 'odd',
        title: 'odd',
        service: 'speech-proxy',
        state: 'unknown',
        ready: false,
        detail: '',
        needs: [],
        built: ['GET /x'],
        planned: [],
      },
      {
        name: 'gone',
        title: 'gone',
        service: 'speech-proxy',
        state: 'unknown',
        ready: false,
        detail: '',
        needs: [],
        built: [],
        planned: [],
      },
    ])
  })
})
