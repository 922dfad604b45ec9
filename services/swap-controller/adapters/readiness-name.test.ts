/**
 * Readiness against a vLLM that serves another name than the swap expects (the alias was not
 * passed): the swap fails as soon as `/v1/models` answers, naming both, not at the readiness timeout.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../shared/logger.ts'
import { SshPool } from '../../../shared/ssh/pool.ts'
import type { Recipe } from '../domain/catalog/types.ts'
import { planSwap } from '../domain/swap/plan.ts'
import { testRecipe } from '../testing/engine-parts.ts'
import { createClusterDriver } from './cluster-driver.ts'

let vllm: Server
let port: number
beforeAll(async () => {
  vllm = createServer((req, res) => {
    res.setHeader('content-type', 'application/json')
    if (req.url === '/health') return res.end('{}')
    res.end(JSON.stringify({ object: 'list', data: [{ id: 'openai/gpt-oss-120b', object: 'model' }] }))
  })
  await new Promise<void>((done) => vllm.listen(0, '127.0.0.1', done))
  port = (vllm.address() as AddressInfo).port
})
afterAll(() => new Promise<void>((done) => vllm.close(() => done())))

describe('readiness when vLLM serves another name', () => {
  it('fails within seconds naming both the served and the expected name', async () => {
    // An SSH target nobody answers: the container check fails and is skipped, as when a probe fails.
    const ssh = new SshPool({
      targets: [{ name: 'spark-1', host: '127.0.0.1', port: 1, user: 'u' }],
      keyPath: '/nonexistent',
      logger: silentLogger(),
    })
    const driver = createClusterDriver({ ssh, vllmHost: '127.0.0.1', pollMs: 20, readyTimeoutMs: 60_000 })
    const plan = planSwap({
      nodes: [{ name: 'spark-1', user: 'u', dockerDir: '/home/u/spark-vllm-docker', role: 'head' }],
      vllmPort: port,
      container: 'vllm_node',
      stopGraceS: 1,
      recipe: testRecipe('gpt-oss', 'gpt-oss-120b') as Recipe,
      mode: 'solo',
    })
    const started = Date.now()
    const ready = driver.awaitReady(plan, {
      signal: new AbortController().signal,
      onHealthy: () => undefined,
      logFailure: () => null,
    })
    await expect(ready).rejects.toMatchObject({
      stage: 'readiness',
      message:
        "vLLM is serving 'openai/gpt-oss-120b', not the expected 'gpt-oss-120b' — is the served-name alias passed?",
    })
    expect(Date.now() - started).toBeLessThan(5000)
    await ssh.close()
  })
})
