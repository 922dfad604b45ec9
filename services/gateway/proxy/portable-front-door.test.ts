/**
 * The proxy suites once more, served through `fetch` only: the portable path (web Request and
 * Response), which Deno runs. The suites' own files run them on the Node fast path, as main.ts
 * serves proxied requests on Node; both paths must pass the same tests.
 */
import { useServePath } from '../testing/harness.ts'

useServePath('portable')
await import('./headers.test.ts')
await import('./errors.test.ts')
await import('./streaming.test.ts')
await import('../fuzz.test.ts')
await import('../api-keys.test.ts')
await import('../rate-limits.test.ts')
await import('./shutdown.test.ts')
