/**
 * Argument handling of `launch-cluster.sh` and `run-recipe.sh` (the recipe runner that generates a
 * launch script and hands it to launch-cluster). The recipe is the node's own file (node-recipes.ts);
 * the script is generated as eugr's runner does it (eugr-recipe.ts). Options eugr's argparse does
 * not know are not errors there (it uses `parse_known_args`, eugr-recipe-args.ts): they are appended
 * to vLLM's line, like everything after `--`. A bad value for a known option is argparse's exit 2.
 */
import { recipeImageCheck } from './eugr-images.ts'
import { type LaunchRequest, launch } from './eugr-launch.ts'
import { launchScript, templateOf } from './eugr-recipe.ts'
import { parseRecipeArgs, RECIPE_USAGE } from './eugr-recipe-args.ts'
import { recipeOnNode } from './node-recipes.ts'
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

export async function runRecipeScript(ctx: CommandContext): Promise<number> {
  const args = ctx.argv.slice(1)
  // Fault switch: an older launcher that loses whatever follows `--` (the served-name alias too).
  const cut = ctx.session.node.dropsArgsAfterSeparator ? args.indexOf('--') : -1
  const parsed = parseRecipeArgs(cut >= 0 ? args.slice(0, cut) : args)
  if (typeof parsed === 'string') {
    // argparse's errors go to stderr with exit 2; no recipe prints the help and returns 1.
    if (parsed === RECIPE_USAGE) {
      ctx.stdout(parsed)
      return 1
    }
    ctx.stderr(parsed)
    return 2
  }
  const out = (s: string) => ctx.stdout(`${s}\n`)
  const { cluster } = ctx.session
  const key = (parsed.recipe as string).replace(/^.*\//, '').replace(/\.ya?ml$/, '')
  const recipe = recipeOnNode(ctx.session.node, cluster.settings, key)
  if (typeof recipe === 'string') {
    out(`Error: Failed to load recipe ${parsed.recipe}: ${recipe}`)
    return 1
  }
  if (!recipe) {
    out(`Error: Recipe not found: ${parsed.recipe}`)
    out(`Searched in: ${parsed.recipe}, ${cluster.settings.vllmDir}/recipes`)
    return 1
  }
  const template = templateOf(key, recipe)
  out(`Recipe: ${template.name}`)
  out('')
  const configured = parsed.solo ? 1 : (parsed.nodes?.length ?? cluster.nodes.length)
  const solo = parsed.solo || configured <= 1
  if (parsed.noRay && solo) {
    out('Error: --no-ray is incompatible with --solo. Solo mode already runs without Ray.')
    return 1
  }
  if (recipe.clusterOnly && solo) {
    out(`Error: Recipe '${template.name}' requires cluster mode.`)
    out('This model is too large to run on a single node.')
    return 1
  }
  if (recipe.soloOnly && !solo) {
    out(`Error: Recipe '${template.name}' requires solo mode.`)
    out('This recipe is intended to run on a single node only.')
    return 1
  }
  const image = parsed.image ?? recipe.container ?? 'vllm-node'
  const missingImage = parsed.dryRun || parsed.setup ? undefined : await recipeImageCheck(ctx, image)
  if (missingImage !== undefined) return missingImage
  const overrides = { ...(solo && { tensor_parallel: 1 }), ...parsed.overrides }
  const script = launchScript({ recipe: template, overrides, solo, noRay: parsed.noRay, extra: parsed.extra })
  if (typeof script !== 'string') {
    ctx.stdout(script.error)
    return 1
  }
  const scriptPath = `/tmp/tmp${Date.now().toString(36)}.sh`
  const launchArgs = ['./launch-cluster.sh', '-t', image]
  if (solo) launchArgs.push('--solo')
  if (parsed.daemon) launchArgs.push('-d')
  if (parsed.noRay) launchArgs.push('--no-ray')
  if (parsed.nodes) launchArgs.push('-n', parsed.nodes.join(','))
  for (const e of parsed.env) launchArgs.push('-e', e)
  if (parsed.name !== 'vllm_node') launchArgs.push('--name', parsed.name)
  launchArgs.push('--launch-script', scriptPath)
  if (parsed.dryRun) {
    out('=== Generated Launch Script ===')
    ctx.stdout(script)
    out('=== What would be executed ===')
    out(`   ${launchArgs.join(' ')}`)
    return 0
  }
  const command = serveLine(script)
  if (!command) {
    out('Error: the generated launch script has no `vllm serve` line')
    return 1
  }
  return launch(ctx, {
    image,
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
