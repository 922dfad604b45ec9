/**
 * Who an audited mutation is attributed to. There is no login yet (API keys and the dashboard
 * password are a later, opt-in issue), so a caller may name itself with `X-Spark-Actor`; the
 * dashboard's htmx requests are "dashboard" and everything else "api". When API keys arrive, the
 * key's name takes precedence here.
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
