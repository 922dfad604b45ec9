/**
 * How much unified memory a recipe needs on each node it runs on — the number the pre-flight fit
 * check compares with each node's live `MemAvailable`.
 *
 * vLLM claims `gpu_memory_utilization × device memory` up front (it refuses to start when less is
 * free: "Free memory on device … is less than desired GPU memory utilization") and fills whatever
 * the weights leave over with KV cache. On a GB10 the device memory is the node's unified memory.
 * So, per node:
 *
 *   weights_share = weights_gib × GiB ÷ nodes × 1.10 + 2 GiB    (0 when weights_gib is unknown)
 *   budget        = gpu_memory_utilization × node_memory
 *   kv_share      = max(0, budget − weights_share)
 *   need          = weights_share + kv_share                     (= max(weights_share, budget))
 *
 * The 10 % covers what the safetensors size leaves out (dequantisation buffers, the activation peak
 * while vLLM profiles); the 2 GiB the CUDA context, PyTorch and NCCL buffers. When the weights alone
 * exceed the budget there is no room for KV cache and vLLM fails: a warning says so.
 */

export const GIB = 1024 ** 3
/** MemTotal of a DGX Spark (GB10) as /proc/meminfo reports it: the memory CPU and GPU share. */
export const GB10_NODE_MEMORY_BYTES = 127_601_952 * 1024
/** vLLM's own default when neither the recipe nor our override sets it. */
export const VLLM_DEFAULT_GPU_MEMORY_UTILIZATION = 0.9
export const WEIGHT_OVERHEAD = 1.1
export const RUNTIME_BYTES = 2 * GIB

export interface MemoryInput {
  weightsGib: number | null
  nodes: number
  gpuMemoryUtilization: number
  nodeMemoryBytes: number
}

export interface MemoryEstimate {
  weightsShareBytes: number
  kvShareBytes: number
  needBytes: number
  /** Set when the weights leave no room for KV cache inside vLLM's budget. */
  warning: string | null
}

const gib = (bytes: number) => (bytes / GIB).toFixed(1)

export function estimateMemory({
  weightsGib,
  nodes,
  gpuMemoryUtilization,
  nodeMemoryBytes,
}: MemoryInput): MemoryEstimate {
  const weightsShareBytes =
    weightsGib === null ? 0 : Math.round(((weightsGib * GIB) / nodes) * WEIGHT_OVERHEAD + RUNTIME_BYTES)
  const budget = Math.round(gpuMemoryUtilization * nodeMemoryBytes)
  const kvShareBytes = Math.max(0, budget - weightsShareBytes)
  const warning =
    weightsShareBytes > budget
      ? `the weights need about ${gib(weightsShareBytes)} GiB per node on ${nodes} node(s), more than vLLM's budget of ` +
        `${gib(budget)} GiB (gpu_memory_utilization ${gpuMemoryUtilization} × ${gib(nodeMemoryBytes)} GiB): no room for KV cache`
      : null
  return { weightsShareBytes, kvShareBytes, needBytes: weightsShareBytes + kvShareBytes, warning }
}
