/**
 * The owner login in a real browser on the demo started with a dashboard password and a short test
 * lockout: pages send to the login; a wrong password says so; after three the address is locked
 * out (429, Retry-After) and, once the wait is over, the right password gets in; a mutating form
 * works; the same action posted without or with a wrong CSRF token is refused; logout ends the session.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useDemo } from '../support/demo.ts'
import { useChromium } from './chromium.ts'

const PASSWORD = 'browser-test owner password'
const LOCKOUT_MS = 3000
const fixture = useDemo({
  name: 'browser-login',
  env: { DASHBOARD_PASSWORD: PASSWORD, LOGIN_LOCKOUT_FAILURES: '3', LOGIN_LOCKOUT_MS: String(LOCKOUT_MS) },
})
const browser = useChromium()

const lockHeld = async () =>
  ((await (await fetch(fixture.url('/api/swap/lock'))).json()) as { held: boolean }).held

/** Submits the login form; the answer to the POST (status, Retry-After) and where the browser ends up. */
async function submitLogin(page: Page, password: string) {
  await page.fill('#login-password', password)
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/ui/login') && r.request().method() === 'POST'),
    page.click('[data-action="log-in"]'),
  ])
  await page.waitForLoadState()
  return {
    status: answer.status(),
    retryAfter: answer.headers()['retry-after'],
    path: new URL(page.url()).pathname,
  }
}

/** A POST of the lock release from the page itself (same origin, the browser's cookies), token as given. */
const postRelease = (page: Page, token: string | null) =>
  page.evaluate(async (t) => {
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html',
    }
    const res = await fetch('/ui/actions/lock/release', {
      method: 'POST',
      headers,
      body: t === null ? '' : `_csrf=${t}`,
    })
    return { status: res.status, text: await res.text() }
  }, token)

describe('owner login', () => {
  it('guards the pages, locks out after wrong passwords, lets the owner in, checks form tokens and logs out', async () => {
    const page = await browser().newPage()
    const errors: string[] = []
    page.on('pageerror', (err) => errors.push(err.message))

    await page.goto(fixture.url('/ui/swap'))
    expect(new URL(page.url()).pathname).toBe('/ui/login')
    expect(new URL(page.url()).searchParams.get('next')).toBe('/ui/swap')

    const wrong = await submitLogin(page, 'not the password')
    expect(wrong.path).toBe('/ui/login')
    expect(await page.textContent('[data-login="wrong"]')).toContain('That password is not right.')
    await submitLogin(page, 'still not it')
    const locked = await submitLogin(page, 'nor this')
    expect(locked.status).toBe(429)
    expect(Number(locked.retryAfter)).toBe(LOCKOUT_MS / 1000)
    expect(await page.textContent('[data-login="locked"]')).toContain('Too many failed logins')
    // While locked even the right password is refused; once the wait is over it gets in.
    const early = await submitLogin(page, PASSWORD)
    expect(early.status).toBe(429)
    await expect
      .poll(async () => (await submitLogin(page, PASSWORD)).path, { timeout: 4 * LOCKOUT_MS, interval: 500 })
      .toBe('/ui/swap')
    expect(await page.textContent('[data-banner="owner"]')).toContain('Logged in as the owner')

    // A mutating form: the lock taken through the API is released from the overview.
    const taken = await fetch(fixture.url('/api/swap/lock'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ holder: 'nightly-eval' }),
    })
    expect(taken.status).toBe(200)
    await page.goto(fixture.url('/'))
    const release = page.locator('#lock-banner [data-action="release-lock"]')
    await expect.poll(() => release.isVisible(), { timeout: 10_000 }).toBe(true)

    // The same action without a token, or with a wrong one, is refused and changes nothing.
    const none = await postRelease(page, null)
    expect(none.status).toBe(403)
    expect(none.text).toContain('security token was missing or out of date')
    expect((await postRelease(page, 'forged-token')).status).toBe(403)
    expect(await lockHeld()).toBe(true)

    await release.click()
    await expect.poll(lockHeld, { timeout: 10_000 }).toBe(false)

    await page.click('[data-action="log-out"]')
    await page.waitForURL((u) => u.pathname === '/ui/login')
    expect(await page.textContent('[data-login="out"]')).toContain('You are logged out.')
    await page.goto(fixture.url('/ui/swap'))
    expect(new URL(page.url()).pathname).toBe('/ui/login')
    expect(errors).toEqual([])
    await page.close()
  }, 120_000)
})
