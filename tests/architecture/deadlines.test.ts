/**
 * Deadlines that span two processes: the dashboard (in the gateway) must wait for a change longer
 * than the service behind it may take to make it, or it reports a failure that then completes.
 */
import { describe, expect, it } from 'vitest'
import { CHANGE_TIMEOUT_MS } from '../../services/gateway/adapters/models-source.ts'
import { SCRUB_TIMEOUT_MS } from '../../services/gateway/adapters/redaction-source.ts'
import { DEFAULT_PROXY_TIMEOUT_MS } from '../../services/gateway/config.ts'
import { DEFAULT_NER_DEADLINE_MS } from '../../services/redaction-gateway/config.ts'
import { REMOVE_TIMEOUT_MS, SCAN_TIMEOUT_MS } from '../../services/swap-controller/adapters/model-disk.ts'
import { VLLM_TIMEOUT_MS } from '../../services/swap-controller/adapters/vllm-client.ts'

describe('deadlines across the gateway and the services behind it', () => {
  it('waits for a delete comfortably longer than the controller may take for one', async () => {
    // The controller's own bounds on a delete: disk scan, vLLM check, then rm on the nodes in parallel.
    const controllerBound = SCAN_TIMEOUT_MS + VLLM_TIMEOUT_MS + REMOVE_TIMEOUT_MS
    expect(CHANGE_TIMEOUT_MS).toBeGreaterThanOrEqual(1.5 * controllerBound)
  })

  it('ends the redaction name pass before the gateway or the dashboard stops waiting for its 422', () => {
    expect(DEFAULT_PROXY_TIMEOUT_MS).toBeGreaterThanOrEqual(DEFAULT_NER_DEADLINE_MS + 30_000)
    expect(SCRUB_TIMEOUT_MS).toBeGreaterThanOrEqual(DEFAULT_NER_DEADLINE_MS + 15_000)
  })
})
