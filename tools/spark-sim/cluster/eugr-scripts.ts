/**
 * Argument handling of `launch-cluster.sh` and `run-recipe.sh` (the recipe runner that generates a
 * launch script and hands it to launch-cluster). Recipes come from the metadata the simulator was
 * given; `solo_only`/`cluster_only`, the port default (8000) and `--dry-run` behave as upstream.
 */
import { type LaunchRequest, launch } from './eugr-launch.ts'
import { type CommandContext, resolvePath } from './shell-exec.ts'
import { parseCommandLine } from './shell-words.ts'

/** The `vllm serve …` line of a launch script (its `export`s and comments are skipped). */
function serveLine(script: string): string[] | undefined {
  try {
    for (const p of parseCommandLine(script).pipelines) {
      for (const c of p.commands) if (c.argv[0] === 'vllm' && c.argv[1] === 'serve') return c.argv
    }
  } catch {
    return undefined
  }
  return undefined
}

const LAUNCH_USAGE =
  'Usage: launch-cluster.sh [-n <node_ips>] [-t <image_name>] [--name <container_name>] [--eth-if <if_name>] ' +
  '[--ib-if <if_name>] [--nccl-debug <level>] [--apply-mod <path>] [--solo] [--no-ray] [--check-config] [-d] ' +
  '[--launch-script <file>] [action] [command]\n'

export async function launchClusterScript(ctx: CommandContext): Promise<number> {
  const args = ctx.argv.slice(1)
  const req: LaunchRequest = {
    image: 'vllm-node',
    name: 'vllm_node',
    solo: false,
    noRay: false,
    daemon: false,
    action: 'start',
    mods: [],
  }
  const valued = new Set([
    '-n',
    '--nodes',
    '-t',
    '--name',
    '--eth-if',
    '--ib-if',
    '--apply-mod',
    '--launch-script',
    '--master-port',
    '--head-port',
    '-e',
    '--config',
  ])
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (valued.has(a) && args[i + 1] === undefined) {
      ctx.stdout(`Error: ${a} requires a value.\n${LAUNCH_USAGE}`)
      return 1
    }
    if (a === '-n' || a === '--nodes')
      req.nodeList = (args[++i] as string)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    else if (a === '-t') req.image = args[++i] as string
    else if (a === '--name') req.name = args[++i] as string
    else if (a === '--apply-mod') req.mods.push(args[++i] as string)
    else if (a === '--launch-script') {
      const path = args[++i] as string
      const script = ctx.session.node.files.get(resolvePath(ctx.session, path))
      if (script === undefined) {
        ctx.stdout(`Error: Launch script '${path}' not found.\n`)
        return 1
      }
      req.action = 'exec'
      req.script = script
      req.command = serveLine(script) ?? ['bash', path]
    } else if (valued.has(a)) i++
    else if (a === '-d') req.daemon = true
    else if (a === '--solo') req.solo = true
    else if (a === '--no-ray') req.noRay = true
    else if (a === '--nccl-debug') {
      if (/^(VERSION|WARN|INFO|TRACE)$/.test(args[i + 1] ?? '')) i++
    } else if (a === '--non-privileged' || a === '--no-cache-dirs' || a === '--check-config') continue
    else if (a === '-h' || a === '--help') {
      ctx.stdout(LAUNCH_USAGE)
      return 0
    } else if (a === 'start' || a === 'stop' || a === 'status') req.action = a
    else if (a === 'exec') {
      req.action = 'exec'
      req.command = args.slice(i + 1)
      if (req.command.length === 0) {
        ctx.stdout('Error: exec requires a command.\n')
        return 1
      }
      break
    } else {
      ctx.stdout(`Unknown parameter passed: ${a}\n${LAUNCH_USAGE}`)
      return 1
    }
  }
  return launch(ctx, req)
}

const RECIPE_USAGE =
  'usage: run-recipe.py [-h] [--solo] [--no-ray] [-n NODES] [-d] [--port PORT] [--host HOST] [--tp TP] ' +
  '[--gpu-mem GPU_MEM] [--max-model-len MAX_MODEL_LEN] [--name NAME] [-e ENV] [--setup] [--dry-run] recipe ...\n'

interface RecipeArgs {
  recipe?: string
  solo: boolean
  noRay: boolean
  daemon: boolean
  dryRun: boolean
  setup: boolean
  nodes?: string[]
  port?: number
  host?: string
  tp?: number
  gpuMem?: number
  maxModelLen?: number
  name: string
  servedModelName?: string
  extra: string[]
}

function parseRecipeArgs(args: string[]): RecipeArgs | string {
  const r: RecipeArgs = {
    solo: false,
    noRay: false,
    daemon: false,
    dryRun: false,
    setup: false,
    name: 'vllm_node',
    extra: [],
  }
  const unknown: string[] = []
  const num = (flag: string, v: string | undefined, int: boolean): number | string => {
    const n = Number(v)
    if (v === undefined) return `run-recipe.py: error: argument ${flag}: expected one argument`
    if (Number.isNaN(n) || (int && !Number.isInteger(n))) {
      return `run-recipe.py: error: argument ${flag}: invalid ${int ? 'int' : 'float'} value: '${v}'`
    }
    return n
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    let n: number | string | undefined
    if (a === '--') {
      r.extra = args.slice(i + 1)
      break
    } else if (a === '--solo') r.solo = true
    else if (a === '--no-ray') r.noRay = true
    else if (a === '-d' || a === '--daemon') r.daemon = true
    else if (a === '--dry-run') r.dryRun = true
    else if (a === '--setup') r.setup = true
    else if (
      a === '--build-only' ||
      a === '--download-only' ||
      a === '--force-build' ||
      a === '--force-download'
    )
      continue
    else if (a === '-n' || a === '--nodes') r.nodes = (args[++i] ?? '').split(',').filter(Boolean)
    else if (a === '--port') n = r.port = num(a, args[++i], true) as number
    else if (a === '--tp') n = r.tp = num(a, args[++i], true) as number
    else if (a === '--gpu-mem') n = r.gpuMem = num(a, args[++i], false) as number
    else if (a === '--max-model-len') n = r.maxModelLen = num(a, args[++i], true) as number
    else if (a === '--host') r.host = args[++i]
    else if (a === '--name') r.name = args[++i] ?? r.name
    else if (a === '--served-model-name') r.servedModelName = args[++i]
    else if (a === '-e' || a === '--env' || a === '--config') i++
    else if (a.startsWith('-')) unknown.push(a)
    else if (r.recipe === undefined) r.recipe = a
    else unknown.push(a)
    if (typeof n === 'string') return `${RECIPE_USAGE}${n}\n`
  }
  if (unknown.length > 0)
    return `${RECIPE_USAGE}run-recipe.py: error: unrecognized arguments: ${unknown.join(' ')}\n`
  if (r.recipe === undefined)
    return `${RECIPE_USAGE}run-recipe.py: error: the following arguments are required: recipe\n`
  return r
}

export async function runRecipeScript(ctx: CommandContext): Promise<number> {
  const parsed = parseRecipeArgs(ctx.argv.slice(1))
  if (typeof parsed === 'string') {
    ctx.stderr(parsed)
    return 2
  }
  const out = (s: string) => ctx.stdout(`${s}\n`)
  const { cluster } = ctx.session
  const key = (parsed.recipe as string).replace(/^.*\//, '').replace(/\.ya?ml$/, '')
  const recipe = cluster.settings.recipes[key]
  if (!recipe) {
    ctx.stderr(
      `Error: Recipe '${parsed.recipe}' not found in recipes/ (available: ${Object.keys(cluster.settings.recipes).join(', ')})\n`,
    )
    return 1
  }
  const configured = parsed.nodes?.length ?? cluster.nodes.length
  const solo = parsed.solo || configured === 1
  out(`Loading recipe: recipes/${key}.yaml`)
  out(`  Model: ${recipe.model}`)
  out(`  Container: ${recipe.container ?? 'vllm-node'}`)
  if (recipe.clusterOnly && solo) {
    ctx.stderr(`Error: Recipe '${key}' is cluster_only and cannot run in solo mode.\n`)
    return 1
  }
  if (recipe.soloOnly && !solo) {
    ctx.stderr(
      `Error: Recipe '${key}' is solo_only, but ${configured} nodes are configured (cluster mode). ` +
        'Pass --solo to run it on this node only.\n',
    )
    return 1
  }
  const tp = parsed.tp ?? (solo ? 1 : configured)
  const port = parsed.port ?? recipe.defaultPort ?? 8000
  const served = parsed.servedModelName ?? recipe.servedModelName
  const command = ['vllm', 'serve', recipe.model, '--host', parsed.host ?? '0.0.0.0', '--port', String(port)]
  if (served) command.push('--served-model-name', served)
  command.push(
    '--gpu-memory-utilization',
    String(parsed.gpuMem ?? 0.8),
    '--max-model-len',
    String(parsed.maxModelLen ?? 32768),
  )
  command.push('--load-format', 'fastsafetensors', '--enable-prefix-caching')
  if (tp > 1) command.push('-tp', String(tp))
  if (tp > 1 && !parsed.noRay) command.push('--distributed-executor-backend', 'ray')
  for (let i = 0; i < parsed.extra.length; i++) {
    const flag = parsed.extra[i] as string
    if (flag.startsWith('--') && command.includes(flag)) {
      out(`Warning: '${flag}' is set by the recipe and again after '--'; the value after '--' wins.`)
    }
  }
  // Later flags win in vLLM's argparse, so appending the extras is how overrides work upstream too.
  command.push(...parsed.extra)
  const scriptPath = `/tmp/vllm-recipe-${key}-${Date.now().toString(36)}.sh`
  const script = `#!/bin/bash\n${command.map(shellWord).join(' ')}\n`
  out(
    `Mode: ${solo ? 'solo' : `cluster (${Math.min(tp, configured)} nodes, ${parsed.noRay ? 'no-Ray' : 'Ray'})`}`,
  )
  out(`Port: ${port}`)
  out(`Generated launch script: ${scriptPath}`)
  const launchArgs = ['./launch-cluster.sh', '-t', recipe.container ?? 'vllm-node', '--name', parsed.name]
  if (parsed.nodes) launchArgs.push('-n', parsed.nodes.join(','))
  if (solo) launchArgs.push('--solo')
  if (parsed.noRay) launchArgs.push('--no-ray')
  if (parsed.daemon) launchArgs.push('-d')
  launchArgs.push('--launch-script', scriptPath)
  if (parsed.dryRun) {
    out('--- launch script ---')
    ctx.stdout(script)
    out('---------------------')
    out(`Would run: ${launchArgs.join(' ')}`)
    out('Dry run: nothing was started.')
    return 0
  }
  if (parsed.setup) {
    out(`Image ${recipe.container ?? 'vllm-node'}: present, skipping build.`)
    out(`Model ${recipe.model}: present in the HF cache, skipping download.`)
  }
  out(`Running: ${launchArgs.join(' ')}`)
  return launch(ctx, {
    image: recipe.container ?? 'vllm-node',
    name: parsed.name,
    nodeList: parsed.nodes,
    solo,
    noRay: parsed.noRay,
    daemon: parsed.daemon,
    action: 'exec',
    command,
    script,
    mods: [],
  })
}

const shellWord = (w: string) => (/^[A-Za-z0-9_\-.,:/=@%+]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)
