/**
 * The launch command, in the forms eugr's `run-recipe.py` accepts. Its recipe overrides
 * (`--port`, `--tp`, `--gpu-mem`, `--max-model-len`) only fill the `{port}`, `{tensor_parallel}`,
 * `{gpu_memory_utilization}` and `{max_model_len}` placeholders of the recipe's command; a command that
 * does not use one would drop the value silently. Such a value therefore goes after `--`, which eugr
 * appends (shell-quoted) to the end of the `vllm serve` line, where vLLM's last-wins parsing makes it
 * count. The served name always goes after `--`: eugr has no override for it and never reads our
 * `spark_control` block. Every value is validated here and turned into text only as a checked number
 * or a checked name; docs/SWAP_API.md has the table of what reaches vLLM.
 */
import { validationFailed } from '../../../../shared/errors.ts'
import { servedNameProblem } from '../catalog/schema.ts'
import type { RunMode } from '../catalog/types.ts'
import { DEFAULT_CONTAINER, LAUNCH_BUDGET_MS, type LaunchStep } from './steps.ts'

export interface LaunchOverrides {
  /** The fraction the fit check used; vLLM's `--gpu-memory-utilization`. */
  gpuMem: number
  maxModelLen?: number
  /** Cluster runs only: a solo run gets eugr's own `tensor_parallel = 1`. */
  tp?: number
}

export interface LaunchInput {
  dir: string
  recipe: string
  port: number
  mode: RunMode
  container: string
  overrides: LaunchOverrides
  servedName: string
  /** The recipe's `command` template, to see which placeholders an override can fill. */
  template: string
}

/** One override: eugr's flag when the template has its placeholder, else vLLM's flag after `--`. */
const OVERRIDE_FORMS = {
  // A command without `{tensor_parallel}` states its parallelism literally, and the catalog read it there.
  tp: { placeholder: 'tensor_parallel', eugr: '--tp', vllm: null },
  gpuMem: { placeholder: 'gpu_memory_utilization', eugr: '--gpu-mem', vllm: '--gpu-memory-utilization' },
  maxModelLen: { placeholder: 'max_model_len', eugr: '--max-model-len', vllm: '--max-model-len' },
} as const

const bad = (field: string, message: string) => validationFailed([{ field, message }])

function checkedOverrides(o: LaunchOverrides): Array<[keyof LaunchOverrides, string]> {
  if (!Number.isFinite(o.gpuMem) || o.gpuMem <= 0 || o.gpuMem > 1)
    throw bad('gpu_memory_utilization', 'must be a number above 0 and at most 1')
  const integer = (v: number | undefined, field: string, max: number) => {
    if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > max))
      throw bad(field, `must be a whole number from 1 to ${max}`)
  }
  integer(o.maxModelLen, 'max_model_len', 100_000_000)
  integer(o.tp, 'tensor_parallel', 64)
  const out: Array<[keyof LaunchOverrides, string]> = []
  for (const key of ['tp', 'gpuMem', 'maxModelLen'] as const) {
    const value = o[key]
    if (value !== undefined) out.push([key, String(value)])
  }
  return out
}

/** Always `-d` (an attached launch dies with the SSH channel), always `--port` (recipes default to 8000). */
export function launchStep(node: string, launch: LaunchInput): LaunchStep {
  const { dir, recipe, port, mode, container, overrides, servedName, template } = launch
  const nameProblem = servedNameProblem(servedName)
  if (nameProblem) throw bad('served_model_name', nameProblem)
  const argv = [`${dir}/run-recipe.sh`, recipe, '-d', '--port', String(port)]
  if (mode === 'solo') argv.push('--solo')
  if (container !== DEFAULT_CONTAINER) argv.push('--name', container)
  const extra = ['--served-model-name', servedName]
  for (const [key, value] of checkedOverrides(overrides)) {
    const form = OVERRIDE_FORMS[key]
    if (template.includes(`{${form.placeholder}}`)) argv.push(form.eugr, value)
    else if (form.vllm) extra.push(form.vllm, value)
  }
  argv.push('--', ...extra)
  return {
    kind: 'launch',
    node,
    recipe,
    mode,
    port,
    container,
    overrides,
    servedName,
    deadlineMs: LAUNCH_BUDGET_MS,
    purpose:
      `start recipe ${recipe} (${mode}) detached with eugr's run-recipe.sh, serving ${servedName} on port ${port} ` +
      `with ${overrides.gpuMem} of GPU memory`,
    argv,
  }
}
