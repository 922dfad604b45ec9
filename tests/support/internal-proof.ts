/**
 * For tests that call a service directly on its own port, as the gateway does: the installation's
 * proof (shared/internal-auth/) made from the demo's secret. Without it a service answers 401.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PROOF_HEADER, signProof } from '../../shared/internal-auth/proof.ts'
import { armInternalProof } from '../../shared/internal-auth/prove.ts'
import { SECRET_FILE } from '../../shared/internal-auth/secret.ts'
import type { Stack } from '../../tools/stack/launch.ts'

/** Headers that prove the secret for one request; each call makes a fresh proof (they are single-use). */
export type ProveFn = (method: string, url: string) => Record<string, string>

/** The prover of a stack (or a demo's: `demo.stack`) whose services share `dataDir` or `internalSecret`. */
export function internalProver(source: { dataDir: string; internalSecret?: string }): ProveFn {
  let secret: Buffer | undefined
  const load = () => {
    secret ??= Buffer.from(
      source.internalSecret ?? readFileSync(join(source.dataDir, SECRET_FILE), 'utf8').trim(),
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

/**
 * Arms this test process as the gateway is armed (shared/internal-auth/prove.ts): what it sends to
 * the stack's services through the shared kit (an outcome reporter, callJson) then proves the secret.
 */
export function armForStack(stack: Stack): void {
  const source = stack.internalSecret ?? readFileSync(join(stack.dataDir, SECRET_FILE), 'utf8').trim()
  armInternalProof(
    Buffer.from(source),
    Object.values(stack.services).map((s) => new URL(s.url).origin),
  )
}
