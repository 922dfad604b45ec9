/**
 * What "Show SSH public key" and "Regenerate SSH key" show: the key, copyable, and for each
 * configured Spark the user whose `~/.ssh/authorized_keys` must hold it, with one command the
 * owner can paste on their own computer to put it there. Pure: no SDK import.
 */
import { quoteArg } from '../../../shared/ssh/quote.ts'
import type { SparkNode } from '../env.ts'
import { group, member, type Shown, type ShownMember } from './result.ts'

/** Appends the key on the Spark; the key travels on stdin, so the remote command is constant. */
export function authorizeCommand(node: SparkNode, publicKey: string): string {
  const remote =
    'mkdir -p ~/.ssh && chmod 700 ~/.ssh && cat >> ~/.ssh/authorized_keys && chmod 600 ~/.ssh/authorized_keys'
  const port = node.ssh_port === 22 ? '' : ` -p ${node.ssh_port}`
  return `echo ${quoteArg(publicKey)} | ssh${port} ${quoteArg(`${node.user}@${node.host}`)} ${quoteArg(remote)}`
}

function whereMembers(nodes: readonly SparkNode[], publicKey: string): ShownMember[] {
  return nodes.map((node) =>
    member(`${node.name} (${node.role}): ${node.user}@${node.host}`, authorizeCommand(node, publicKey), {
      description: `Add the key to ~/.ssh/authorized_keys of ${node.user} on ${node.host}: paste this command in a terminal on your computer (it asks for that user's password once), or add the line by hand.`,
      copyable: true,
    }),
  )
}

export function publicKeyShown(
  publicKey: string,
  nodes: readonly SparkNode[],
  { title = 'SSH public key', lead = '' } = {},
): Shown {
  const where =
    nodes.length === 0
      ? 'No Spark is configured yet: run "Configure Sparks", then add this key to ~/.ssh/authorized_keys of the SSH user on each Spark.'
      : `Add this key to ~/.ssh/authorized_keys of the SSH user on each of the ${nodes.length} Sparks below; Spark Control logs in with it and never with a password.`
  return {
    version: '1',
    title,
    message: `${lead}${where}`,
    result: {
      type: 'group',
      value: [
        member('Public key', publicKey, {
          description: 'One line, as it goes into authorized_keys.',
          copyable: true,
        }),
        ...(nodes.length ? [group('Where it must be added', whereMembers(nodes, publicKey))] : []),
      ],
    },
  }
}
