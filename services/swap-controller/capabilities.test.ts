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
  it('has nothing planned: the earlier /api/services and /api/nim routes are built', async () => {
    expect(await askRoutes(controller(), SWAP_CONTROLLER_CAPABILITIES, 'planned')).toEqual([])
  })

  it('calls chat up when vLLM answers, and the node-backed capabilities up when the node answers', async () => {
    const body = (await (await controller().request('/ready')).json()) as ReadyReport
    const states = Object.fromEntries(Object.entries(body.capabilities!).map(([name, c]) => [name, c.state]))
    expect(states).toMatchObject({
      chat: 'up',
      swaps: 'up',
      'service-control': 'up',
      nim: 'up',
    })
  })
})
