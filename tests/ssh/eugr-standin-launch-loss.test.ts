/**
 * A worker lost during a two-node launch (stand-in cluster, real sshd nodes, main.ts as a child
 * process): eugr's launcher fails ("Passwordless SSH to <ip> failed"), the swap rolls back to the
 * solo model, and its error must say spark-2 is unreachable — not only relay the launcher's words.
 */

import { existsSync } from 'node:fs'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { type StandinCluster, startStandinCluster } from './eugr-standin-bed.ts'
import { standinApi } from './standin-api.ts'
import { RECIPES } from './standin-recipes.ts'

let c: StandinCluster

beforeAll(async () => {
  c = await startStandinCluster({ recipes: RECIPES })
}, 60_000)
afterAll(() => c?.close(), 30_000)

const { finished, served, startSwap, given } = standinApi(() => c)

it('lost during a two-node launch: the swap rolls back to the solo model and says spark-2 is unreachable', async () => {
  await given('standin-small', 'small-chat')
  const state = c.node('spark-1').state
  // run-recipe.sh waits at "launch" (after its SSH check of the worker) until the hold file goes.
  await writeFile(join(state, 'hold-launch'), '')
  const { job_id } = await startSwap('standin-duo')
  await vi.waitFor(
    () => {
      if (!existsSync(join(state, 'held-launch'))) throw new Error('not at the launch yet')
    },
    { timeout: 30_000, interval: 50 },
  )
  await c.ssh.node('spark-2').cutOff()
  await rm(join(state, 'hold-launch'))
  const job = await finished(job_id)
  expect(await served()).toEqual(['small-chat'])
  expect(job.rollback).toEqual({ recipe: 'standin-small', outcome: 'ready' })
  expect(job.outcome).toBe('rolled_back')
  expect(job.error).toMatch(/spark-2/)
  expect(job.error).toMatch(/unreachable/)
}, 60_000)
