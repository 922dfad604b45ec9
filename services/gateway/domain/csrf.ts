/**
 * The same-origin guard of the earlier version, for browsers: a state-changing request to a
 * control route that says it comes from another site (by `Origin`, or failing that `Referer`) is
 * refused, and so is one whose browser says so itself (`Sec-Fetch-Site: cross-site`, which a page
 * cannot forge or suppress, even where a referrer policy hides `Referer`). Programs that send none
 * of these headers pass, as they always have — apps and scripts call `/api/swap` without one.
 */
import { isDataRoute } from './route-table.ts'

export interface OriginHeaders {
  origin: string | null
  referer: string | null
  host: string | null
  /** Set by a reverse proxy in front of us (StartOS); browsers cannot set it cross-site. */
  forwardedHost: string | null
  /** `Sec-Fetch-Site`, set by browsers only. */
  fetchSite?: string | null
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** True when the request must be refused with 403. */
export function isCrossSiteControlRequest(method: string, path: string, h: OriginHeaders): boolean {
  if (SAFE_METHODS.has(method.toUpperCase()) || isDataRoute(path)) return false
  if (h.fetchSite?.trim().toLowerCase() === 'cross-site') return true
  const claimed = h.origin ?? h.referer
  if (claimed === null) return false
  let source: URL
  try {
    // An opaque origin ("null") or garbage is a browser request we cannot vouch for.
    source = new URL(claimed)
  } catch {
    return true
  }
  if (source.protocol !== 'http:' && source.protocol !== 'https:') return true
  const served = [h.host, firstValue(h.forwardedHost)]
  return !served.some((host) => host !== null && sameHost(source, host))
}

function firstValue(header: string | null): string | null {
  if (header === null) return null
  const first = header.split(',')[0]?.trim()
  return first ? first : null
}

/** `URL.host` drops the scheme's default port; a Host header may still carry it. */
function sameHost(source: URL, hostHeader: string): boolean {
  const host = hostHeader.trim().toLowerCase()
  if (host === source.host) return true
  const defaultPort = source.protocol === 'https:' ? ':443' : ':80'
  return host.endsWith(defaultPort) && host.slice(0, -defaultPort.length) === source.host
}
