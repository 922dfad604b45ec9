import { describe, expect, it } from 'vitest'
import { inspectArgv, parseInspect, parseSize, parseStats } from './docker-inspect.ts'
import { buildView, pillOf } from './view.ts'

// What Docker 28 prints for INSPECT_FORMAT (fields as docker encodes them: nanosecond times, a
// Health object when the image has a HEALTHCHECK).
const RUNNING =
  '"/parakeet-asr"\t{"Status":"running","Running":true,"Paused":false,"Restarting":false,"OOMKilled":false,' +
  '"Dead":false,"Pid":48213,"ExitCode":0,"Error":"","StartedAt":"2026-11-30T09:12:44.518372916Z",' +
  '"FinishedAt":"2026-11-30T09:12:31.902214537Z","Health":{"Status":"healthy","FailingStreak":0,"Log":[]}}' +
  '\t2\t8589934592\t"parakeet-asr:latest"'
const EXITED =
  '"/kokoro-tts"\t{"Status":"exited","Running":false,"Paused":false,"Restarting":false,"OOMKilled":false,' +
  '"Dead":false,"Pid":0,"ExitCode":137,"Error":"","StartedAt":"2026-11-30T09:00:00.1Z",' +
  '"FinishedAt":"2026-11-30T10:00:00.2Z"}\t0\t0\t"ghcr.io/remsky/kokoro-fastapi-gpu:v0.2.4"'

describe('docker inspect of a node', () => {
  it('is one argv for every container, with the template as one word', () => {
    expect(inspectArgv(['a', 'b']).slice(-3)).toEqual([expect.stringContaining('{{json .State}}'), 'a', 'b'])
  })

  it('reads state, start, restarts, memory limit and image; missing names from stderr', () => {
    const res = parseInspect(
      { code: 1, stdout: `${RUNNING}\n${EXITED}\n`, stderr: 'Error: No such object: qdrant\n' },
      ['parakeet-asr', 'kokoro-tts', 'qdrant'],
    )
    expect(res.failure).toBeNull()
    expect([...res.missing]).toEqual(['qdrant'])
    expect(res.found.get('parakeet-asr')).toEqual({
      name: 'parakeet-asr',
      state: 'running',
      startedAt: '2026-11-30T09:12:44.518372916Z',
      restartCount: 2,
      memoryLimit: 8589934592,
      image: 'parakeet-asr:latest',
    })
    expect(res.found.get('kokoro-tts')).toMatchObject({ state: 'exited', memoryLimit: null })
  })

  it('docker itself failing makes the node unknown, with a plain reason', () => {
    const denied = parseInspect(
      {
        code: 1,
        stdout: '',
        stderr:
          'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock\n',
      },
      ['parakeet-asr'],
    )
    expect(denied.failure).toMatch(/docker group/)
    expect(
      parseInspect({ code: 127, stdout: '', stderr: 'bash: docker: command not found' }, ['x']).failure,
    ).toMatch(/not installed/)
  })
})

describe('docker stats', () => {
  it('reads go-units sizes and the CPU share', () => {
    const out = parseStats('parakeet-asr\t6.402GiB / 119.7GiB\t0.53%\nkokoro-tts\t0B / 0B\t0.00%\n')
    expect(out.get('parakeet-asr')).toEqual({ memoryBytes: Math.round(6.402 * 1024 ** 3), cpuPercent: 0.53 })
    expect(out.get('kokoro-tts')?.memoryBytes).toBe(0)
    expect([parseSize('512MiB'), parseSize('1.2kB'), parseSize('--')]).toEqual([512 * 1024 ** 2, 1200, null])
  })
})

describe('the view and its pill', () => {
  const spec = {
    name: 'parakeet',
    kind: 'stt' as const,
    node: 'spark-2',
    container: 'parakeet-asr',
    port: 8000,
    health_path: '/health',
    restart_policy: 'unless-stopped' as const,
    memory_cap_bytes: null,
    auto_restart: true,
    custom: false,
    disabled: false,
  }
  const ok = { ok: true, status: 200, ms: 4, at: '2026-11-30T10:00:00.000Z', error: null }
  const bad = { ...ok, ok: false, status: null, error: 'timed out after 2000 ms' }

  it('running and answering is healthy, with uptime, restarts and memory', () => {
    const found = parseInspect({ code: 0, stdout: RUNNING, stderr: '' }, ['parakeet-asr']).found
    const container = found.get('parakeet-asr')!
    const now = Date.parse('2026-11-30T10:12:44.518Z')
    const view = buildView(
      spec,
      { kind: 'found', container, stats: { memoryBytes: 7e9, cpuPercent: 1 } },
      ok,
      now,
    )
    expect(view).toMatchObject({
      state: 'running',
      pill: 'healthy',
      uptime_s: 3600,
      restarts: 2,
      memory_bytes: 7e9,
      memory_limit_bytes: 8589934592,
      started_at: '2026-11-30T09:12:44.518Z',
    })
  })

  it('starting while young or restarting, unhealthy after, stopped when exited', () => {
    expect(pillOf('running', 5, bad, true)).toBe('starting')
    expect(pillOf('running', 120, bad, true)).toBe('unhealthy')
    expect(pillOf('running', 120, null, false)).toBe('healthy')
    expect(pillOf('restarting', null, null, true)).toBe('starting')
    expect(pillOf('exited', null, null, true)).toBe('stopped')
    expect(pillOf('missing', null, null, true)).toBe('not_configured')
  })

  it('a node that does not answer is unknown with its reason; no container is not_configured', () => {
    expect(buildView(spec, { kind: 'unknown', reason: 'spark-2 did not answer' }, null, 0)).toMatchObject({
      state: 'unknown',
      pill: 'unknown',
      error: 'spark-2 did not answer',
    })
    expect(buildView(spec, { kind: 'missing' }, null, 0)).toMatchObject({
      state: 'missing',
      pill: 'not_configured',
    })
  })
})
