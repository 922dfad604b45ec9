/**
 * Where the compatibility suite sends its requests: a deployment named by COMPAT_BASE_URL (e.g. a
 * StartOS install, to check it against the earlier contract), or else the demo stack it starts.
 */
import { type DemoFixture, useDemo } from '../support/demo.ts'

export function compatTarget(
  name: string,
  env?: Record<string, string>,
): { url(path?: string): string; demo?: DemoFixture } {
  const external = process.env.COMPAT_BASE_URL?.replace(/\/+$/, '')
  if (external) return { url: (path = '') => `${external}${path}` }
  const demo = useDemo({ name: `compat-${name}`, env })
  return { url: demo.url, demo }
}
