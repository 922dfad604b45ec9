/**
 * For tests that call a service directly on its own port, as the gateway does: the installation's
 * proof (shared/internal-auth/) made from the demo's secret. Without it a service answers 401.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PROOF_HEADER, signProof } from '../../shared/internal-auth/proof.ts'
import { SECRET_FILE } from '../../shared/internal-auth/secret.ts'

/** Headers that prove the secret for one request; each call makes a fresh proof (they are single-use). */
export type ProveFn = (method: string, url: string) => Record<string, string>

/** The prover of a demo (or any stack) whose services share `dataDir`, or were given `INTERNAL_SECRET`. */
export function internalProver(source: { dataDir: string } | { secret: string }): ProveFn {
  let secret: Buffer | undefined
  const load = () => {
    secret ??= Buffer.from(
      'secret' in source ? source.secret : readFileSync(join(source.dataDir, SECRET_FILE), 'utf8').trim(),
    )
    return secret
  }
  return (method, url) => {
    const parsed = new URL(url)
    return { [PROOF_HEADER]: signProof(load(), method, `${parsed.pathname}${parsed.search}`) }
  }
}

/** `fetch` to one of the demo's services, proving the secret (method and URL as given). */
export function provenFetch(prove: ProveFn) {
  return (url: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET'
    const headers = new Headers(init.headers)
    for (const [name, value] of Object.entries(prove(method, url))) headers.set(name, value)
    return fetch(url, { ...init, headers })
  }
}
