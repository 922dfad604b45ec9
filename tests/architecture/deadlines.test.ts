/**
 * Deadlines that span two processes: the dashboard (in the gateway) must wait for a change longer
 * than the swap-controller may take to make it, or it reports a failure that then completes.
 */
import { describe, expect, it } from 'vitest'
import { CHANGE_TIMEOUT_MS } from '../../services/gateway/adapters/models-source.ts'
import { REMOVE_TIMEOUT_MS, SCAN_TIMEOUT_MS } from '../../services/swap-controller/adapters/model-disk.ts'
import { VLLM_TIMEOUT_MS } from '../../services/swap-controller/adapters/vllm-client.ts'

describe('deadlines across the gateway and the swap-controller', () => {
  it('waits for a delete comfortably longer than the controller may take for one', async () => {
    // The controller's own bounds on a delete: disk scan, vLLM check, then rm on the nodes in parallel.
    const controllerBound = SCAN_TIMEOUT_MS + VLLM_TIMEOUT_MS + REMOVE_TIMEOUT_MS
    expect(CHANGE_TIMEOUT_MS).toBeGreaterThanOrEqual(1.5 * controllerBound)
  })
})
