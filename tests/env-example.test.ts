/** `.env.example` documents every variable any service reads, and each example value parses. */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { configShape as connectivity } from '../services/connectivity-monitor/config.ts'
import { configShape as gateway } from '../services/gateway/config.ts'
import { configShape as redaction } from '../services/redaction-gateway/config.ts'
import { configShape as speech } from '../services/speech-proxy/config.ts'
import { configShape as swap } from '../services/swap-controller/config.ts'
import { configShape as vector } from '../services/vector-search/config.ts'
import { loadConfig } from '../shared/config.ts'
import { SERVICES } from '../shared/topology.ts'

const text = readFileSync(new URL('../.env.example', import.meta.url), 'utf8')
const shapes = { connectivity, gateway, redaction, speech, swap, vector }

/** Active `KEY=value` lines, with inline comments removed as compose does. */
const examples = Object.fromEntries(
  text
    .split('\n')
    .filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l))
    .map((l) => {
      const [key, ...rest] = l.split('=')
      return [
        key!,
        rest
          .join('=')
          .replace(/\s+#.*$/, '')
          .trim(),
      ]
    }),
)

describe('.env.example', () => {
  it.each(Object.entries(shapes))('mentions every key of %s', (_name, shape) => {
    for (const key of Object.keys(shape)) expect(text, key).toMatch(new RegExp(`\\b${key}=`))
  })

  it.each(Object.entries(shapes))('its values load as the %s configuration', (_name, shape) => {
    expect(() => loadConfig(shape, examples)).not.toThrow()
  })

  it('names the URL variable of every service', () => {
    for (const s of Object.values(SERVICES))
      if (s.urlEnv !== 'GATEWAY_URL') expect(text).toContain(`${s.urlEnv}=`)
  })
})
