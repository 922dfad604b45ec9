/**
 * The command line of eugr's `run-recipe.py` as its argparse reads it: known options with their
 * types, `parse_known_args` (anything unknown, and everything after `--`, goes to vLLM's line), and
 * argparse's own messages (usage, exit 2) for a bad value.
 */
import type { RecipeOverrides, TemplateValue } from './eugr-recipe.ts'

export const RECIPE_USAGE =
  'usage: run-recipe.py [-h] [--list] [--setup] [--build-only] [--download-only] [--force-build] ' +
  '[--force-download] [--dry-run] [--port PORT] [--host HOST] [--tensor-parallel TENSOR_PARALLEL] ' +
  '[--gpu-memory-utilization GPU_MEMORY_UTILIZATION] [--max-model-len MAX_MODEL_LEN] [--solo] [-n NODES] [-d] ' +
  '[-t CONTAINER_OVERRIDE] [--nccl-debug {VERSION,WARN,INFO,TRACE}] [-e VAR=VALUE] [--no-ray] ' +
  '[--master-port MASTER_PORT] [--name CONTAINER_NAME] [--eth-if ETH_IF] [--ib-if IB_IF] [-j N] ' +
  '[--config FILE] [--discover] [--show-env] [recipe]\n'

export interface RecipeArgs {
  recipe?: string
  solo: boolean
  noRay: boolean
  daemon: boolean
  dryRun: boolean
  setup: boolean
  nodes?: string[]
  name: string
  image?: string
  env: string[]
  overrides: RecipeOverrides
  /** What argparse did not know (parse_known_args), and everything after `--`: appended to vLLM's line. */
  extra: string[]
}

const BOOLEAN_FLAGS: Record<string, keyof RecipeArgs | null> = {
  '--solo': 'solo',
  '--no-ray': 'noRay',
  '-d': 'daemon',
  '--daemon': 'daemon',
  '--dry-run': 'dryRun',
  '--setup': 'setup',
  '--build-only': null,
  '--download-only': null,
  '--force-build': null,
  '--force-download': null,
  '--no-cache-dirs': null,
  '--non-privileged': null,
}
/** Overrides by flag: the key they fill and argparse's type. */
const OVERRIDE_FLAGS: Record<string, [keyof RecipeOverrides, 'int' | 'float' | 'str']> = {
  '--port': ['port', 'int'],
  '--host': ['host', 'str'],
  '--tensor-parallel': ['tensor_parallel', 'int'],
  '--tp': ['tensor_parallel', 'int'],
  '--gpu-memory-utilization': ['gpu_memory_utilization', 'float'],
  '--gpu-mem': ['gpu_memory_utilization', 'float'],
  '--max-model-len': ['max_model_len', 'int'],
}
/** Options that take a value the simulation does not use. */
const IGNORED_VALUED = new Set([
  '--nccl-debug',
  '--master-port',
  '--head-port',
  '--eth-if',
  '--ib-if',
  '-j',
  '--config',
])
const INT_FLAGS = new Set([
  '--master-port',
  '--head-port',
  '-j',
  '--mem-limit-gb',
  '--mem-swap-limit-gb',
  '--pids-limit',
  '--shm-size-gb',
])

/** argparse's int()/float(): what Python accepts, as far as recipes need. */
function typed(flag: string, v: string, type: 'int' | 'float' | 'str'): TemplateValue | string {
  if (type === 'str') return v
  const ok =
    type === 'int' ? /^\s*[-+]?\d+\s*$/.test(v) : /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(v)
  return ok ? Number(v) : `argument ${flag}: invalid ${type} value: '${v}'`
}

const argError = (message: string) => `${RECIPE_USAGE}run-recipe.py: error: ${message}\n`

export function parseRecipeArgs(args: string[]): RecipeArgs | string {
  const r: RecipeArgs = {
    solo: false,
    noRay: false,
    daemon: false,
    dryRun: false,
    setup: false,
    name: 'vllm_node',
    env: [],
    overrides: {},
    extra: [],
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '--') {
      // eugr drops the separator only when it is the first thing argparse left over.
      r.extra.push(...(r.extra.length === 0 ? [] : ['--']), ...args.slice(i + 1))
      break
    }
    const [flag, inline] =
      a.startsWith('--') && a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined]
    const valued =
      flag in OVERRIDE_FLAGS ||
      IGNORED_VALUED.has(flag) ||
      INT_FLAGS.has(flag) ||
      ['-n', '--nodes', '--name', '-t', '--container', '-e', '--env'].includes(flag)
    if (flag in BOOLEAN_FLAGS) {
      const key = BOOLEAN_FLAGS[flag]
      if (key) (r as unknown as Record<string, unknown>)[key] = true
      continue
    }
    if (!valued) {
      if (!a.startsWith('-') && r.recipe === undefined) r.recipe = a
      else r.extra.push(a)
      continue
    }
    const value = inline ?? args[++i]
    if (value === undefined) return argError(`argument ${flag}: expected one argument`)
    const override = OVERRIDE_FLAGS[flag]
    if (override) {
      const v = typed(flag, value, override[1])
      if (typeof v === 'string' && override[1] !== 'str') return argError(v)
      r.overrides[override[0]] = v
    } else if (INT_FLAGS.has(flag) && typeof typed(flag, value, 'int') === 'string')
      return argError(typed(flag, value, 'int') as string)
    else if (flag === '--nccl-debug' && !/^(VERSION|WARN|INFO|TRACE)$/.test(value))
      return argError(
        `argument --nccl-debug: invalid choice: '${value}' (choose from VERSION, WARN, INFO, TRACE)`,
      )
    else if (flag === '-n' || flag === '--nodes')
      r.nodes = value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    else if (flag === '--name') r.name = value
    else if (flag === '-t' || flag === '--container') r.image = value
    else if (flag === '-e' || flag === '--env') r.env.push(value)
  }
  if (r.recipe === undefined) return RECIPE_USAGE
  return r
}
