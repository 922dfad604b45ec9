/**
 * `SPARK_SERVICES`: a JSON array of service container specs that replaces (same name) or extends
 * the default list. Checked at start: a bad value stops the service with a message naming the
 * entry and the field. Names, containers and nodes are safe names, since they reach docker's argv.
 */
import { z } from '@hono/zod-openapi'
import { RestartPolicy, ServiceKind } from '../../../../shared/contracts/swap-controller.ts'
import { safeName } from '../../../../shared/names.ts'
import { absolutePathProblem } from '../../../../shared/ssh/quote.ts'

const dirProblem = (v: string) => absolutePathProblem(v.startsWith('~/') ? `/home/user/${v.slice(2)}` : v)

export const ServiceSpecInput = z
  .object({
    name: safeName('a service name', { max: 64 }),
    kind: ServiceKind.optional(),
    node: safeName('a node name', { max: 64 }).optional(),
    container: safeName('a container name').optional(),
    port: z.number().int().min(1).max(65535).nullable().optional(),
    health_path: z
      .string()
      .regex(/^\/[\x21-\x7e]*$/, 'must start with / and hold no spaces')
      .max(200)
      .nullable()
      .optional(),
    /** Where its health route answers when not on its node's host (e.g. behind another port). */
    url: z.url({ protocol: /^https?$/ }).optional(),
    restart_policy: RestartPolicy.optional(),
    memory_cap_bytes: z
      .number()
      .int()
      .min(6 * 1024 * 1024)
      .nullable()
      .optional(),
    auto_restart: z.boolean().optional(),
    custom: z.boolean().optional(),
    update_dir: z
      .string()
      .max(400)
      .refine((v) => dirProblem(v) === null, 'must be ~/<dir> or an absolute path')
      .nullable()
      .optional(),
  })
  .strict()
export type ServiceSpecInput = z.infer<typeof ServiceSpecInput>

const servicesSchema = z
  .array(ServiceSpecInput)
  .max(64)
  .superRefine((list, ctx) => {
    const seen = new Set<string>()
    for (const [i, s] of list.entries()) {
      if (seen.has(s.name))
        ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `${s.name} is listed twice` })
      seen.add(s.name)
    }
  })

/** The env value: blank is unset (the default list), otherwise the JSON array. */
export const sparkServicesEnv = () =>
  z.preprocess((value, ctx) => {
    if (typeof value !== 'string' || value.trim() === '') return undefined
    try {
      return JSON.parse(value)
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a JSON array of {name, kind, node, container, port, …}',
      })
      return z.NEVER
    }
  }, servicesSchema.optional())
