/**
 * What swap-controller reports in `/ready`: the `vllm` upstream (with `UpstreamInfo`, read by the
 * gateway's `/api/status` and `/api/endpoints`) and one `node:<name>` per Spark (with `NodeInfo`).
 * None is critical — the controller still answers, and says what is missing.
 */
import type { DependencyCheck } from '../../../shared/readiness.ts'
import type { SshNodes } from '../../../shared/ssh/types.ts'
import { type NodeInfo, UPSTREAMS, type UpstreamInfo } from '../../../shared/topology.ts'
import type { Inventory } from '../domain/inventory.ts'
import { createNodeShell } from './node-shell.ts'
import type { VllmClient } from './vllm-client.ts'

const message = (err: unknown) => (err instanceof Error ? err.message : String(err))

export function vllmCheck(vllm: VllmClient, disabled: readonly string[]): DependencyCheck {
  const base: UpstreamInfo = {
    kind: UPSTREAMS.vllm.kind,
    base_url: vllm.baseUrl ? `${vllm.baseUrl}/v1` : null,
    model: null,
    disabled: disabled.includes('vllm'),
  }
  return {
    name: 'vllm',
    async check(signal) {
      if (base.disabled)
        return { state: 'disabled', detail: 'Turned off by DISABLED_SERVICES.', info: { ...base } }
      if (!vllm.baseUrl)
        return { state: 'not_configured', detail: 'No head node or VLLM_HOST.', info: { ...base } }
      try {
        const models = await vllm.listModels(signal)
        const model = models[0] ?? null
        const detail = model ? `model ${model} loaded` : 'answering, no model listed'
        return { state: 'up', detail, info: { ...base, model } }
      } catch (err) {
        return { state: 'down', detail: message(err), info: { ...base } }
      }
    },
  }
}

/** Up when a `true` runs over the node's persistent connection within 2 s. */
export function nodeChecks(inventory: Inventory, ssh: SshNodes): DependencyCheck[] {
  return inventory.nodes.map((node) => {
    const info: NodeInfo = { kind: 'node', name: node.name, host: node.host, role: node.role }
    return {
      name: `node:${node.name}`,
      async check(signal) {
        const client = node.user ? ssh.get(node.name) : undefined
        if (!client) return { state: 'not_configured', detail: 'No SSH user configured.', info: { ...info } }
        try {
          await createNodeShell(client).ping(2000, signal)
          return { state: 'up', detail: 'SSH connected', info: { ...info } }
        } catch (err) {
          return { state: 'down', detail: message(err), info: { ...info } }
        }
      },
    }
  })
}
