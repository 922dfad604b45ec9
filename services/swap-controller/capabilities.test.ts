import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../shared/logger.ts'
import type { ReadyReport } from '../../shared/readiness.ts'
import { askRoutes } from '../../shared/testing/capabilities.ts'
import { createVllmClient } from './adapters/vllm-client.ts'
import { buildApp } from './app.ts'
import { SWAP_CONTROLLER_CAPABILITIES } from './capabilities.ts'
import { loadSwapControllerConfig } from './config.ts'
import { buildInventory } from './domain/inventory.ts'
import { FakeSshNode, FakeSshNodes, type FakeVllm, healthySpark, startFakeVllm } from './testing/fakes.ts'

let vllm: FakeVllm
beforeAll(async () => {
  vllm = await startFakeVllm(['Qwen/Qwen3-30B-A3B-FP8'])
})
afterAll(async () => {
  await vllm.close()
})

function controller() {
  const url = new URL(vllm.baseUrl)
  const config = loadSwapControllerConfig({
    SPARK1_HOST: '192.0.2.10',
    SPARK1_USER: 'owner',
    VLLM_HOST: url.hostname,
    VLLM_PORT: url.port,
  })
  const inventory = buildInventory(config)
  const ssh = new FakeSshNodes()
  ssh.add(new FakeSshNode('spark-1', healthySpark))
  const client = createVllmClient({ baseUrl: inventory.vllm.baseUrl, timeoutMs: 1000 })
  const logger = silentLogger()
  return buildApp({ config, inventory, ssh, vllm: client, logger, readinessCacheMs: 0 })
}

describe('swap-controller capabilities', () => {
  it('answers the earlier /api/services and /api/nim routes with 501 {"detail": …}, not 404', async () => {
    const answers = await askRoutes(controller(), SWAP_CONTROLLER_CAPABILITIES, 'planned')
    expect(answers.map((a) => [a.route, a.status])).toEqual([
      ['GET /api/services', 501],
      ['POST /api/services/:name/:action', 501],
      ['POST /api/nim/install', 501],
    ])
    expect(answers[2]!.body).toEqual({
      detail: 'NIM install is not built yet in this version of Spark Control.',
      capability: 'nim',
    })
    // A planned route is a known path: another method is 405 with Allow, as on every controller route.
    const put = await controller().request('/api/services', { method: 'PUT' })
    expect(put.status).toBe(405)
    expect(put.headers.get('allow')).toBe('GET, HEAD')
  })

  it('calls chat up when vLLM answers, and the unbuilt capabilities not_built', async () => {
    const body = (await (await controller().request('/ready')).json()) as ReadyReport
    const states = Object.fromEntries(Object.entries(body.capabilities!).map(([name, c]) => [name, c.state]))
    expect(states).toMatchObject({
      chat: 'up',
      swaps: 'up',
      'service-control': 'not_built',
      nim: 'not_built',
    })
  })
})
