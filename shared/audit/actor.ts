/**
 * Who an audited mutation is attributed to, the same rule in every service: `X-Spark-Actor`. With
 * API keys on (API_KEY_GROUPS) the gateway — the only published port — sets it to the name of the
 * key the request carried (or `owner` after a login) and drops whatever the client sent, so the
 * audit's "who" is the key. With keys off, a caller may name itself, as before keys existed; the
 * dashboard's htmx requests are `dashboard`, the rest `api`.
 */
export const ACTOR_HEADER = 'x-spark-actor'
const MAX_ACTOR_CHARS = 64

export function actorFrom(header: (name: string) => string | undefined): string {
  const named = header(ACTOR_HEADER)
    ?.replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, MAX_ACTOR_CHARS)
  if (named) return named
  if (header('hx-request') === 'true') return 'dashboard'
  return 'api'
}
