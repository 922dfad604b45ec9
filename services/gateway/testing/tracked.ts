/**
 * Test-only: servers a test starts are closed after it, and an echo backend that reports what it
 * received. Shared by the gateway's proxy tests.
 */
import { afterEach } from 'vitest'
import { type Listening, listen, readBody } from './harness.ts'

/** Registers an afterEach that closes every server passed to the returned `track`. */
export function trackServers() {
  const open: Listening[] = []
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()))
  })
  return async function track<T extends Listening>(s: Promise<T>): Promise<T> {
    const started = await s
    open.push(started)
    return started
  }
}

/** A backend that echoes what it received: method, url, headers, body length. */
export function echoBackend(calls: string[] = []) {
  return listen(async (req, res) => {
    const body = await readBody(req)
    calls.push(`${req.method} ${req.url}`)
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, length: body.length }))
  })
}
