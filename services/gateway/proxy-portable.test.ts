/**
 * The proxy suites once more, served through `fetch` only: the portable path (web Request and
 * Response), which Deno runs. The suites' own files run them on the Node fast path, as main.ts
 * serves proxied requests on Node; both paths must pass the same tests.
 */
import { useServePath } from './testing/harness.ts'

useServePath('portable')
await import('./proxy-headers.test.ts')
await import('./proxy-errors.test.ts')
await import('./proxy-streaming.test.ts')
await import('./fuzz.test.ts')
await import('./api-keys.test.ts')
await import('./proxy-shutdown.test.ts')
