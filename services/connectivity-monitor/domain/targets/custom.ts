/**
 * `MONITOR_TARGETS`: the owner's own targets (a NAS, a router, another model server), or new probes
 * for a built-in one (same id: its probes are replaced, its title, kind and node kept unless given).
 * A mistake stops the service at start with a message naming the entry, like every other bad key.
 */
import { z } from '@hono/zod-openapi'
import { ConfigError } from '../../../../shared/config.ts'
import { TargetKind } from '../../../../shared/contracts/connectivity-monitor.ts'
import type { FunctionalCheck, Target } from '../ports.ts'
import { type HostPort, httpUrl, parseHostPort, urlHostPort } from './address.ts'

const KEY = 'MONITOR_TARGETS'
const TARGET_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/

const urlField = z.string().refine((v) => httpUrl(v) !== null, 'must be an http(s) URL')

const entrySchema = z
  .object({
    id: z
      .string()
      .regex(TARGET_ID, 'must be 1-64 lower-case letters, digits, `. _ -`, starting with a letter or digit'),
    title: z.string().trim().min(1).max(200).optional(),
    kind: TargetKind.optional(),
    tcp: z
      .string()
      .refine((v) => parseHostPort(v) !== null, 'must be host:port (or [ipv6]:port)')
      .optional(),
    http: urlField.optional(),
    functional: z
      .object({ method: z.enum(['GET', 'POST']), url: urlField, body: z.unknown().optional() })
      .strict()
      .refine((f) => f.method === 'POST' || f.body === undefined, 'a body needs method POST')
      .optional(),
    host: z.string().min(1).optional(),
  })
  .strict()
  .refine((e) => e.tcp || e.http || e.functional, 'needs at least one of tcp, http, functional')

type Entry = z.infer<typeof entrySchema>

function parseList(raw: string): unknown[] {
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch (err) {
    throw new ConfigError([`${KEY}: not valid JSON (${(err as Error).message})`])
  }
  if (!Array.isArray(value)) throw new ConfigError([`${KEY}: must be a JSON array of targets`])
  return value
}

const rawId = (value: unknown) => (value as { id?: unknown } | null)?.id

function entryName(index: number, value: unknown): string {
  const id = rawId(value)
  return typeof id === 'string' ? `${KEY}[${index}] (${JSON.stringify(id)})` : `${KEY}[${index}]`
}

function checkEntries(list: unknown[], nodeIds: ReadonlySet<string>): Entry[] {
  const problems: string[] = []
  const seen = new Set<string>()
  const entries = list.flatMap((value, i): Entry[] => {
    const name = entryName(i, value)
    const id = rawId(value)
    if (typeof id === 'string' && seen.has(id)) problems.push(`${name}: id ${id} is listed twice`)
    if (typeof id === 'string') seen.add(id)
    const parsed = entrySchema.safeParse(value)
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push(`${name}: ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`)
      return []
    }
    if (parsed.data.host !== undefined && !nodeIds.has(parsed.data.host))
      problems.push(`${name}: host: no Spark node is named ${JSON.stringify(parsed.data.host)}`)
    return [parsed.data]
  })
  if (problems.length > 0) throw new ConfigError(problems)
  return entries
}

function probesOf(entry: Entry): Pick<Target, 'tcp' | 'http' | 'functional' | 'origins'> {
  const urls = [entry.http, entry.functional?.url].filter((u): u is string => u !== undefined)
  // The TCP check is the quick one, so a target given only a URL still gets it, on the URL's port.
  const tcp: HostPort | undefined = entry.tcp
    ? parseHostPort(entry.tcp)!
    : urls[0]
      ? urlHostPort(httpUrl(urls[0])!)
      : undefined
  const functional: FunctionalCheck | undefined = entry.functional && {
    method: entry.functional.method,
    url: entry.functional.url,
    ...(entry.functional.body !== undefined ? { body: entry.functional.body } : {}),
  }
  return {
    origins: [...new Set(urls.map((u) => httpUrl(u)!.origin))],
    ...(tcp ? { tcp } : {}),
    ...(entry.http ? { http: { url: entry.http } } : {}),
    ...(functional ? { functional } : {}),
  }
}

/**
 * The built-in targets with the owner's added or replaced. `disabled` says whether an id is in
 * DISABLED_SERVICES; nodeIds are the nodes an entry's `host` may name.
 */
export function withCustomTargets(
  builtIn: readonly Target[],
  raw: string | undefined,
  nodeIds: ReadonlySet<string>,
  disabled: (id: string) => boolean,
): Target[] {
  if (raw === undefined || raw.trim() === '') return [...builtIn]
  const entries = checkEntries(parseList(raw), nodeIds)
  const byId = new Map(builtIn.map((t) => [t.id, t]))
  const added: Target[] = []
  for (const entry of entries) {
    const probes = probesOf(entry)
    const existing = byId.get(entry.id)
    if (existing) {
      const { tcp: _tcp, http: _http, functional: _functional, ssh: _ssh, ...kept } = existing
      byId.set(entry.id, {
        ...kept,
        ...probes,
        title: entry.title ?? kept.title,
        kind: entry.kind ?? kept.kind,
        host: entry.host ?? kept.host,
        origins: [...new Set([...kept.origins, ...probes.origins])],
      })
      continue
    }
    added.push({
      id: entry.id,
      kind: entry.kind ?? 'upstream',
      title: entry.title ?? entry.id,
      host: entry.host ?? null,
      legacySubject: null,
      ...probes,
      disabled: disabled(entry.id),
    })
  }
  return [...byId.values(), ...added]
}
