/**
 * Small recipes in the repo's format (eugr's fields plus our `spark_control` block) for the
 * stand-in cluster: tiny memory fractions so the fit check passes on a test machine, and served-name
 * aliases that differ from the Hugging Face ids, so a dropped alias shows.
 */
import { IMAGE } from './eugr-standin-bed.ts'

/** Solo only; every override has its placeholder, so eugr's own flags carry them. */
export const SMALL = `recipe_version: "1"
name: Stand-in small chat
model: acme/Small-Chat-1B
container: ${IMAGE}
solo_only: true
defaults:
  port: 8000
  host: 127.0.0.1
  gpu_memory_utilization: 0.05
  max_model_len: 8192
env:
  STANDIN_RECIPE_ENV: small
command: |
  vllm serve acme/Small-Chat-1B \\
      --host {host} \\
      --port {port} \\
      --gpu-memory-utilization {gpu_memory_utilization} \\
      --max-model-len {max_model_len}
spark_control:
  served_model_name: small-chat
  gpu_memory_utilization: 0.06
  max_model_len: 4096
  mode: solo
`

/** Two nodes; memory and context are literal in the command, so the overrides follow \`--\`. */
export const DUO = `recipe_version: "1"
name: Stand-in duo chat
model: acme/Duo-Chat-7B
container: ${IMAGE}
cluster_only: true
defaults:
  port: 8000
  host: 127.0.0.1
  tensor_parallel: 2
command: |
  vllm serve acme/Duo-Chat-7B \\
      --host {host} \\
      --port {port} \\
      -tp {tensor_parallel} \\
      --gpu-memory-utilization 0.05 \\
      --max-model-len 8192 \\
      --distributed-executor-backend ray
spark_control:
  served_model_name: duo-chat
  gpu_memory_utilization: 0.07
  max_model_len: 2048
  mode: cluster
`

/** No alias: served under its Hugging Face id, so it serves even when a launcher drops \`--\`. */
export const PLAIN = `recipe_version: "1"
name: Stand-in plain
model: acme/Plain-1B
container: ${IMAGE}
solo_only: true
defaults:
  port: 8000
  host: 127.0.0.1
  gpu_memory_utilization: 0.05
command: |
  vllm serve acme/Plain-1B \\
      --host {host} \\
      --port {port} \\
      --gpu-memory-utilization {gpu_memory_utilization}
`

export const RECIPES = { 'standin-small': SMALL, 'standin-duo': DUO, 'standin-plain': PLAIN }
