/**
 * `SPARK_NODES`: the JSON inventory for any number of Spark nodes, read by the swap-controller (to
 * reach them over SSH) and by the connectivity monitor (to watch them). One schema, so a value one
 * of them accepts the other accepts too.
 */
import { z } from '@hono/zod-openapi'
import { hostSchema } from './config.ts'
import { safeName, UNIX_USER } from './names.ts'

/** A Unix login name as an env value takes it (`SPARK1_USER`, a node's `user`). */
export const unixUser = () =>
  z.string().trim().regex(UNIX_USER, 'must be a user name (letters, digits, `_ . -`)')

const nodeEntrySchema = z
  .object({
    name: safeName(),
    host: hostSchema(),
    user: unixUser(),
    ssh_port: z.number().int().min(1).max(65535).default(22),
    role: z.enum(['head', 'worker']),
  })
  .strict()

export type NodeEntry = z.infer<typeof nodeEntrySchema>

const nodesSchema = z
  .array(nodeEntrySchema)
  .min(1, 'must list at least one node')
  .superRefine((nodes, ctx) => {
    const seen = new Set<string>()
    nodes.forEach((n, i) => {
      if (seen.has(n.name))
        ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate node name ${n.name}` })
      seen.add(n.name)
    })
    const heads = nodes.filter((n) => n.role === 'head').length
    if (heads !== 1)
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `needs exactly one node with role "head" (found ${heads})`,
      })
  })

/** The env value: blank is unset, otherwise a JSON array of `{name, host, user, ssh_port?, role}`. */
export const sparkNodesEnv = () =>
  z.preprocess((value, ctx) => {
    if (typeof value !== 'string' || value.trim() === '') return undefined
    try {
      return JSON.parse(value)
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of {name, host, user, ssh_port?, role}' })
      return z.NEVER
    }
  }, nodesSchema.optional())
