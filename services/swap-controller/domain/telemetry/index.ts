/** Telemetry domain: node readings, vLLM metrics, bounded history. Pure; the poller does the I/O. */
export { BoundedQueue, type Taken } from './bounded-queue.ts'
export { type Bucket, bucketDelta, histogramQuantile } from './histogram.ts'
export {
  type Columns,
  NODE_SAMPLE_KEYS,
  type NodeSample,
  nodeSample,
  toColumns,
  VLLM_SAMPLE_KEYS,
  type VllmSample,
  vllmSample,
} from './history.ts'
export {
  type DiskTelemetry,
  decodeThrottleReasons,
  diskArgv,
  type GpuTelemetry,
  gpuTelemetryArgv,
  isUnknownFieldError,
  type MemoryTelemetry,
  memoryTelemetry,
  parseDf,
  parseGpuTelemetry,
  THROTTLE_FIELDS,
  type ThrottleField,
} from './node.ts'
export { createPollLoop, type PollLoop } from './poll-loop.ts'
export { type PromSample, parsePrometheusText, parsePromValue } from './prometheus.ts'
export { RingBuffer } from './ring-buffer.ts'
export type {
  NodeSource,
  NodeTelemetry,
  Stamped,
  TelemetryHistory,
  TelemetrySnapshot,
  TelemetryUpdate,
  VllmTelemetry,
} from './snapshot.ts'
export {
  type LatencySummary,
  summarizeVllmMetrics,
  VLLM_METRIC_NAMES,
  type VllmModelMetrics,
  type VllmScrape,
} from './vllm-metrics.ts'
