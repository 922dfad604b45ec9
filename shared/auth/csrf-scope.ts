/**
 * The current request's CSRF token, for the forms that render it (ui/components/csrf.tsx). The
 * gateway runs each dashboard request inside `withCsrfToken`; forms deep in a page read it without
 * every component passing it down. Outside a request (unit tests of a component) there is none.
 */
import { AsyncLocalStorage } from 'node:async_hooks'

const scope = new AsyncLocalStorage<string>()

export const withCsrfToken = <T>(token: string, run: () => T): T => scope.run(token, run)

export const currentCsrfToken = (): string | null => scope.getStore() ?? null
