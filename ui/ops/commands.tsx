/** The exact commands a change runs, one per line with the node it runs on (as a dry run gave them). */
import type { OpsCommand } from './source.ts'

export function Commands({ commands, open }: { commands: OpsCommand[]; open?: boolean }) {
  if (!commands.length) return null
  return (
    <details open={open}>
      <summary>Exact commands</summary>
      <pre data-commands="">{commands.map((c) => `${c.node}$ ${c.display}`).join('\n')}</pre>
    </details>
  )
}
