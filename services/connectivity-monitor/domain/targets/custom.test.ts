import { describe, expect, it } from 'vitest'
import { ConfigError, type EnvSource } from '../../../../shared/config.ts'
import { loadMonitorConfig } from '../../config.ts'
import type { Target } from '../ports.ts'
import { buildTargets } from './build.ts'

const PAIR: EnvSource = { SPARK1_HOST: 'spark-1.example', SPARK2_HOST: 'spark-2.example' }

const build = (env: EnvSource) => buildTargets(loadMonitorConfig(env))
const byId = (targets: Target[]) => new Map(targets.map((t) => [t.id, t]))

describe('buildTargets: MONITOR_TARGETS', () => {
  const withTargets = (list: unknown, env: EnvSource = PAIR) =>
    build({ ...env, MONITOR_TARGETS: JSON.stringify(list) })

  it('adds the owner’s targets, a TCP check from the URL when none is given', () => {
    const { targets } = withTargets([
      { id: 'nas', title: 'The NAS', tcp: 'nas.example:445' },
      {
        id: 'ollama',
        kind: 'upstream',
        http: 'http://spark-2.example:11434/api/version',
        functional: { method: 'POST', url: 'http://spark-2.example:11434/api/show', body: { name: 'm' } },
        host: 'spark-2',
      },
    ])
    const t = byId(targets)
    expect(t.get('nas')).toEqual({
      id: 'nas',
      kind: 'upstream',
      title: 'The NAS',
      host: null,
      legacySubject: null,
      origins: [],
      tcp: { host: 'nas.example', port: 445 },
      disabled: false,
    })
    expect(t.get('ollama')).toMatchObject({
      title: 'ollama',
      host: 'spark-2',
      origins: ['http://spark-2.example:11434'],
      tcp: { host: 'spark-2.example', port: 11434 },
      http: { url: 'http://spark-2.example:11434/api/version' },
      functional: { method: 'POST', url: 'http://spark-2.example:11434/api/show', body: { name: 'm' } },
    })
    expect(targets.at(-1)?.id).toBe('ollama')
  })

  it('replaces the probes of a built-in target with the same id, keeping what else it knows', () => {
    const t = byId(
      withTargets([
        {
          id: 'embeddings',
          http: 'http://spark-2.example:8088/health',
          functional: {
            method: 'POST',
            url: 'http://spark-2.example:8088/v1/embeddings',
            body: { input: 'ok' },
          },
        },
        { id: 'spark-1', tcp: '[fd00::1]:22' },
      ]).targets,
    )
    expect(t.get('embeddings')).toMatchObject({
      kind: 'upstream',
      title: 'bge-m3 embeddings server',
      host: 'spark-2',
      legacySubject: 'embeddings',
      origins: ['http://spark-2.example:8088'],
      functional: { method: 'POST', url: 'http://spark-2.example:8088/v1/embeddings', body: { input: 'ok' } },
    })
    expect(t.get('spark-1')).toMatchObject({
      kind: 'node',
      legacySubject: 'spark1',
      tcp: { host: 'fd00::1', port: 22 },
    })
    expect(t.get('spark-1')?.ssh).toBeUndefined()
  })

  it('refuses bad JSON and bad entries, naming each entry and what is wrong', () => {
    const problems = (list: string) => {
      try {
        build({ ...PAIR, MONITOR_TARGETS: list })
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError)
        return (err as ConfigError).problems
      }
      throw new Error('no ConfigError')
    }
    expect(problems('[{"id":')[0]).toMatch(/^MONITOR_TARGETS: not valid JSON/)
    expect(problems('{"id":"x"}')).toEqual(['MONITOR_TARGETS: must be a JSON array of targets'])
    const found = problems(
      JSON.stringify([
        { id: 'Bad Id', tcp: 'spark-1.example:1' },
        { id: 'a', tcp: 'spark-1.example' },
        { id: 'b', http: 'ftp://x/' },
        { id: 'c' },
        { id: 'd', tcp: 'spark-1.example:1', host: 'spark-9' },
        { id: 'e', tcp: 'spark-1.example:1', colour: 'red' },
        { id: 'f', functional: { method: 'GET', url: 'http://x/', body: {} } },
        { id: 'g', tcp: 'spark-1.example:70000' },
        { id: 'a', tcp: 'spark-1.example:2' },
      ]),
    )
    expect(found).toEqual([
      expect.stringMatching(/^MONITOR_TARGETS\[0\] \("Bad Id"\): id: must be 1-64 lower-case/),
      'MONITOR_TARGETS[1] ("a"): tcp: must be host:port (or [ipv6]:port)',
      'MONITOR_TARGETS[2] ("b"): http: must be an http(s) URL',
      'MONITOR_TARGETS[3] ("c"): needs at least one of tcp, http, functional',
      'MONITOR_TARGETS[4] ("d"): host: no Spark node is named "spark-9"',
      expect.stringMatching(/^MONITOR_TARGETS\[5\] \("e"\): .*colour/),
      'MONITOR_TARGETS[6] ("f"): functional: a body needs method POST',
      'MONITOR_TARGETS[7] ("g"): tcp: must be host:port (or [ipv6]:port)',
      'MONITOR_TARGETS[8] ("a"): id a is listed twice',
    ])
  })

  it('marks an owner’s target disabled by DISABLED_SERVICES', () => {
    const { targets } = withTargets([{ id: 'nas', tcp: 'nas.example:445' }], {
      ...PAIR,
      DISABLED_SERVICES: 'nas',
    })
    expect(byId(targets).get('nas')?.disabled).toBe(true)
  })
})
