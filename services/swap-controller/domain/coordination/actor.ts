/**
 * Who an audited mutation is attributed to: every service's one rule (shared/audit/actor.ts) —
 * `X-Spark-Actor` (the key's name behind the gateway), else "dashboard" for htmx, else "api".
 */
export { actorFrom } from '../../../../shared/audit/actor.ts'
