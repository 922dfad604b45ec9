/** The dashboard's own cookies: how they are read and set (the same attributes as the key cookie). */
import type { Context } from 'hono'
import { cookieValue } from '../../../shared/auth/credentials.ts'
import type { AppEnv } from '../../../shared/service.ts'

export const readCookie = (c: Context<AppEnv>, name: string) => {
  const header = c.req.header('cookie')
  return header ? cookieValue(header, name) : null
}

const isSecure = (c: Context<AppEnv>) =>
  new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https'

/** HttpOnly (page scripts never see it), SameSite=Strict (other sites cannot ride on it), Secure behind HTTPS. */
export function setCookie(c: Context<AppEnv>, name: string, value: string, maxAgeS: number | null) {
  const age = maxAgeS === null ? '' : `; Max-Age=${maxAgeS}`
  const attrs = `Path=/; HttpOnly; SameSite=Strict${age}${isSecure(c) ? '; Secure' : ''}`
  c.header('Set-Cookie', `${name}=${value}; ${attrs}`, { append: true })
}
