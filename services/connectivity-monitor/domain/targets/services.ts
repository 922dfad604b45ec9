/** The Spark Control services themselves, where the gateway finds them (`*_URL`, default their usual port). */
import { ConfigError } from '../../../../shared/config.ts'
import { SERVICE_NAMES, SERVICES } from '../../../../shared/topology.ts'
import type { MonitorConfig } from '../../config.ts'
import type { Target } from '../ports.ts'
import { httpUrl, trimSlashes, urlHostPort } from './address.ts'

/** The monitor does not watch itself: if it is down, nobody is there to say so. */
const SELF = 'connectivity-monitor'

export function serviceTargets(c: Pick<MonitorConfig, 'serviceUrls' | 'DISABLED_SERVICES'>): Target[] {
  const problems: string[] = []
  const targets = SERVICE_NAMES.filter((name) => name !== SELF).flatMap((name): Target[] => {
    const base = c.serviceUrls[name]
    const url = httpUrl(base)
    if (!url) {
      problems.push(`${SERVICES[name].urlEnv}: must be an http(s) URL (got ${JSON.stringify(base)})`)
      return []
    }
    return [
      {
        id: name,
        kind: 'service',
        title: `${name} service`,
        host: null,
        legacySubject: null,
        origins: [url.origin],
        tcp: urlHostPort(url),
        http: { url: `${trimSlashes(base)}/health` },
        disabled: c.DISABLED_SERVICES.has(name),
      },
    ]
  })
  if (problems.length > 0) throw new ConfigError(problems)
  return targets
}
