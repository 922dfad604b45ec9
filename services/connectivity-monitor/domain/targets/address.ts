/**
 * Addresses as the probes take them: `host:port` for TCP and SSH (IPv6 without brackets, as
 * `net.connect` wants it), origins (`http://host:port`) to match reported request outcomes.
 */
export interface HostPort {
  host: string
  port: number
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 }

/** An http(s) URL, or null. */
export function httpUrl(text: string): URL | null {
  if (!URL.canParse(text)) return null
  const url = new URL(text)
  return url.protocol in DEFAULT_PORTS && url.hostname !== '' ? url : null
}

export function urlHostPort(url: URL): HostPort {
  return { host: bareHost(url.hostname), port: url.port ? Number(url.port) : DEFAULT_PORTS[url.protocol]! }
}

/** `[::1]` → `::1`: sockets take IPv6 literals bare, URLs bracketed. */
export const bareHost = (host: string) => host.replace(/^\[(.*)\]$/, '$1').toLowerCase()

/** A URL without its trailing slashes, so `${base}/health` has one. */
export const trimSlashes = (url: string) => url.replace(/\/+$/, '')

const HOST_PORT = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})?)):(\d{1,5})$/

/** `host:port` or `[v6]:port`; null when it is not one. */
export function parseHostPort(text: string): HostPort | null {
  const m = HOST_PORT.exec(text.trim())
  if (!m) return null
  const port = Number(m[3])
  if (port < 1 || port > 65535) return null
  return { host: bareHost(m[1] ?? m[2]!), port }
}
