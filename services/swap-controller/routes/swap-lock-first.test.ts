/** `POST /api/swap`: the lock is judged before the body, and `model` is another name for `recipe`. */

import { describe, expect, it } from 'vitest'
import { AppError } from '../../../shared/errors.ts'
import { silentLogger } from '../../../shared/logger.ts'
import { createVllmClient } from '../adapters/vllm-client.ts'
import { swapControllerService } from '../app.ts'
import { loadSwapControllerConfig } from '../config.ts'
import { buildInventory } from '../domain/inventory.ts'
import type { SwapEngine, SwapRequest } from '../domain/swap/engine.ts'
import { FakeSshNodes } from '../testing/fakes.ts'
import { swapRoutes } from './swap.ts'

function setup(locked: boolean) {
  const asked: SwapRequest[] = []
  const engine = {
    request: async (req: SwapRequest) => {
      asked.push(req)
      throw new AppError(404, 'not_found', `No recipe '${req.recipe}'.`)
    },
  } as unknown as SwapEngine
  const lockGate = (token: string | undefined) => {
    if (locked && token !== 'secret') throw new AppError(423, 'swap_locked', 'The swap lock is held.')
  }
  const config = loadSwapControllerConfig({ SPARK1_HOST: '192.0.2.10', SPARK1_USER: 'owner' })
  const app = swapControllerService({
    config,
    inventory: buildInventory(config),
    ssh: new FakeSshNodes(),
    vllm: createVllmClient({ baseUrl: null }),
    logger: silentLogger(),
  })
  app.route('/', swapRoutes({ engine, lockGate }))
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    app.request('/api/swap', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    })
  return { asked, post }
}

describe('POST /api/swap and the lock', () => {
  it('answers 423, not 422, to a caller without the token even when the body is wrong', async () => {
    const { post, asked } = setup(true)
    const res = await post({ recipe: 'bad name!' })
    expect(res.status).toBe(423)
    expect((await post({})).status).toBe(423)
    expect(asked).toEqual([])
  })

  it('judges the body once the token is given (header or body), and a dry run without one', async () => {
    const { post } = setup(true)
    expect((await post({}, { 'x-swap-lock-token': 'secret' })).status).toBe(422)
    expect((await post({ token: 'secret', mode: 'nope' })).status).toBe(422)
    expect((await post({ dry_run: true })).status).toBe(422)
  })

  it('answers 422 naming the recipe when the lock is free and the body is wrong', async () => {
    const { post } = setup(false)
    const res = await post({})
    expect(res.status).toBe(422)
    expect(JSON.stringify(await res.json())).toContain('recipe')
  })

  it('takes `model` as another name for `recipe`, `recipe` winning when both are given', async () => {
    const { post, asked } = setup(false)
    expect((await post({ model: 'qwen3-8b' })).status).toBe(404)
    expect((await post({ model: 'qwen3-8b', recipe: 'llama-70b' })).status).toBe(404)
    expect(asked.map((r) => r.recipe)).toEqual(['qwen3-8b', 'llama-70b'])
  })
})
