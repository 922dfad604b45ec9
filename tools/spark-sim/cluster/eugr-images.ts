/**
 * What eugr's scripts do when the recipe's image is not on a node, re-stated from their public
 * behaviour:
 * - `run-recipe.py` (without `--setup`/`--dry-run`) runs `docker image inspect` on the head only;
 *   when it fails it prints where to get the image and asks `Build now? [y/N]` on stdin. Over SSH
 *   stdin is at EOF, so Python's `input()` raises EOFError: a traceback on stderr and exit 1.
 * - `launch-cluster.sh` compares the image ID on the head and every worker before it starts any
 *   container (cluster runs), and aborts naming the node; a solo `docker run` of a missing image
 *   fails as Docker does (the pull is refused, exit 125).
 */
import { hasImage, imageId, missingImageRunError } from './docker-images.ts'
import type { SimNode } from './node-state.ts'
import type { CommandContext } from './shell-exec.ts'

/** The first line of stdin, or undefined at EOF (Python's `input()`). */
async function readLine(ctx: CommandContext): Promise<string | undefined> {
  let text = ''
  for await (const chunk of ctx.stdin) {
    text += chunk
    if (text.includes('\n')) return text.slice(0, text.indexOf('\n'))
  }
  return text === '' ? undefined : text
}

/** run-recipe.py's head check: undefined when the image is there, else the exit code. */
export async function recipeImageCheck(ctx: CommandContext, image: string): Promise<number | undefined> {
  if (hasImage(ctx.session.node, image)) return undefined
  const out = (s: string) => ctx.stdout(`${s}\n`)
  out(`Container image '${image}' not found locally.`)
  out('')
  out('Options:')
  out('  1. Use --setup to build and run')
  out(`  2. Build manually: ./build-and-copy.sh -t ${image}`)
  out('')
  ctx.stdout('Build now? [y/N] ')
  const answer = await readLine(ctx)
  if (answer === undefined) {
    const script = `${ctx.session.cluster.settings.vllmDir}/run-recipe.py`
    ctx.stderr(
      'Traceback (most recent call last):\n' +
        `  File "${script}", line 1, in <module>\n` +
        '    sys.exit(main())\n' +
        `  File "${script}", line 1, in main\n` +
        '    response = input("Build now? [y/N] ").strip().lower()\n' +
        'EOFError: EOF when reading a line\n',
    )
    return 1
  }
  if (answer.trim().toLowerCase() === 'y') {
    // Building an image is not simulated: the build fails, which is never more lenient.
    out(`Building image '${image}'...`)
    out('Error: Failed to build image')
    return 1
  }
  out('Aborting.')
  return 1
}

/** launch-cluster.sh before `docker run`: undefined when every node has the image, else the exit code. */
export function launchImageCheck(
  ctx: CommandContext,
  image: string,
  head: SimNode,
  workers: SimNode[],
): number | undefined {
  if (workers.length === 0) {
    if (hasImage(head, image)) return undefined
    ctx.stderr(missingImageRunError(image))
    return 125
  }
  const out = (s: string) => ctx.stdout(`${s}\n`)
  out('Verifying Docker image consistency across cluster nodes...')
  if (!hasImage(head, image)) {
    out(`Error: Could not inspect image '${image}' on head node (${head.host}).`)
    out('       Make sure the image exists and is accessible to the current user.')
    return 1
  }
  out(`  [HEAD] ${head.host}: ${imageId(image)}`)
  let failed = false
  for (const w of workers) {
    if (hasImage(w, image)) out(`  [WORKER] ${w.host}: ${imageId(image)} (match)`)
    else {
      out(`Error: Could not inspect image '${image}' on worker node (${w.host}).`)
      out('       The image may be missing or inaccessible to the remote user.')
      failed = true
    }
  }
  if (failed) {
    out(`Error: Cluster launch aborted because image '${image}' is not in sync.`)
    out(`       Sync it with: ./build-and-copy.sh --no-build -t ${image} --copy-to <worker-hosts>`)
    return 1
  }
  out('Docker image consistency check passed.')
  return undefined
}
