/**
 * The owner's login page and the two refusals a person may meet around it (a locked-out address,
 * a form whose CSRF token is missing or stale). Plain pages with the dashboard's stylesheet: they
 * are shown before anything else of the dashboard may be.
 */
import type { Context } from 'hono'
import type { Child } from 'hono/jsx'
import type { AppEnv } from '../../shared/service.ts'
import { CsrfField } from '../components/csrf.tsx'
import { PAGE_HEADERS } from '../respond.ts'
import { toHtml } from '../status-stream.tsx'

/** What the login page says above the form (`?login=`). */
export const LOGIN_NOTES = ['wrong', 'out', 'needed'] as const
export type LoginNote = (typeof LOGIN_NOTES)[number]

const NOTE_TEXT: Record<LoginNote, string> = {
  wrong: 'That password is not right.',
  out: 'You are logged out.',
  needed: 'Log in to use the dashboard.',
}

function Frame(props: { title: string; children?: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{`${props.title} — Spark Control`}</title>
        <link rel="stylesheet" href="/static/style.css" />
      </head>
      <body>
        <main id="main" class="main">
          <h1>Spark Control</h1>
          {props.children}
        </main>
      </body>
    </html>
  )
}

export function LoginPage(props: { next: string; note: LoginNote | null; lockedForS?: number }) {
  const { note, lockedForS } = props
  return (
    <Frame title="Log in">
      {lockedForS !== undefined ? <LockedNote seconds={lockedForS} /> : null}
      {note ? (
        <p class={note === 'wrong' ? 'notice notice-bad' : 'notice'} role="alert" data-login={note}>
          {NOTE_TEXT[note]}
        </p>
      ) : null}
      <form method="post" action="/ui/login" class="login-form">
        <CsrfField />
        <input type="hidden" name="next" value={props.next} />
        <label for="login-password">Dashboard password</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          maxlength={1024}
        />
        <button type="submit" class="button" data-action="log-in">
          Log in
        </button>
      </form>
    </Frame>
  )
}

function LockedNote({ seconds }: { seconds: number }) {
  return (
    <p class="notice notice-bad" role="alert" data-login="locked">
      Too many failed logins. Try again in {seconds} {seconds === 1 ? 'second' : 'seconds'}.
    </p>
  )
}

export function CsrfRefusedPage() {
  return (
    <Frame title="Not done">
      <p class="notice notice-bad" role="alert" data-refused="csrf">
        Nothing was changed: this form's security token was missing or out of date (the page may be older than
        your last login or a restart). Go back, reload the page and try again.
      </p>
      <p>
        <a href="/">Back to the dashboard</a>
      </p>
    </Frame>
  )
}

/** The pages as HTML with the dashboard's headers, for the gateway's login routes. */
export async function sendLoginHtml(c: Context<AppEnv>, node: unknown, status: 200 | 403 | 429) {
  return c.html(`<!doctype html>${await toHtml(node)}`, status, PAGE_HEADERS)
}
