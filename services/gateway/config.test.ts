import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../shared/config.ts'
import { backendUrls, loadGatewayConfig } from './config.ts'

describe('gateway config', () => {
  it('listens on every interface on 9999 by default, with the earlier limits and timeouts', () => {
    const config = loadGatewayConfig({})
    expect(config).toMatchObject({
      HOST: '0.0.0.0',
      PORT: 9999,
      BODY_LIMIT_BYTES: 10 * 1024 * 1024,
      AUDIO_BODY_LIMIT_BYTES: 200 * 1024 * 1024,
      PROXY_CHAT_TIMEOUT_MS: 30 * 60_000,
      DISABLED_SERVICES: [],
    })
    expect(backendUrls(config)).toEqual({
      'swap-controller': 'http://127.0.0.1:9101',
      'speech-proxy': 'http://127.0.0.1:9102',
      'vector-search': 'http://127.0.0.1:9103',
      'redaction-gateway': 'http://127.0.0.1:9104',
      'connectivity-monitor': 'http://127.0.0.1:9105',
    })
  })

  it('takes the earlier BIND_PORT when PORT is unset or blank, and PORT over it', () => {
    expect(loadGatewayConfig({ BIND_PORT: '8080' }).PORT).toBe(8080)
    expect(loadGatewayConfig({ BIND_PORT: '8080', PORT: ' ' }).PORT).toBe(8080)
    expect(loadGatewayConfig({ BIND_PORT: '8080', PORT: '9000' }).PORT).toBe(9000)
  })

  it('reads backend URLs from the topology env names and the earlier DISABLED_SERVICES list', () => {
    const config = loadGatewayConfig({
      SPEECH_PROXY_URL: 'http://speech:9102/',
      DISABLED_SERVICES: 'kokoro, qdrant',
    })
    expect(backendUrls(config)['speech-proxy']).toBe('http://speech:9102')
    expect(config.DISABLED_SERVICES).toEqual(['kokoro', 'qdrant'])
  })

  it('names every bad key', () => {
    expect(() =>
      loadGatewayConfig({ BIND_PORT: 'x', VECTOR_SEARCH_URL: 'ftp://nope', PROXY_TIMEOUT_MS: '5' }),
    ).toThrow(ConfigError)
    try {
      loadGatewayConfig({ BIND_PORT: 'x', VECTOR_SEARCH_URL: 'ftp://nope' })
    } catch (err) {
      const problems = (err as ConfigError).problems.join('\n')
      expect(problems).toContain('BIND_PORT')
      expect(problems).toContain('VECTOR_SEARCH_URL')
    }
  })
})
