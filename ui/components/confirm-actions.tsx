/**
 * The two answers of every confirmation on the dashboard: a form that does the thing (its CSRF
 * token, the hidden fields that say what, one button) and a link that dismisses the question.
 * With htmx the answer replaces the question in `target`; without JavaScript the form posts and
 * the link reloads the page, so every confirmation works either way.
 */
import type { Child } from 'hono/jsx'
import { CsrfField } from './csrf.tsx'

export interface ConfirmFormProps {
  /** Where the form posts. */
  action: string
  /** htmx: the element (`#id`) the answer replaces; absent, the form is a plain post. */
  target?: string
  swap?: 'innerHTML' | 'outerHTML'
  /** Disable the button while the request is out (slow actions: a restart, a sweep). */
  busy?: boolean
  /** Hidden fields; an array sends the name once per value. */
  fields: Record<string, string | readonly string[]>
  tone: 'danger' | 'primary'
  /** `data-action` of the button, for scripts and tests. */
  name: string
  label: Child
  /** Shown above the button (e.g. an extra checkbox the owner must tick). */
  children?: Child
}

export function ConfirmForm(p: ConfirmFormProps) {
  const hx = p.target
    ? {
        'hx-post': p.action,
        'hx-target': p.target,
        'hx-swap': p.swap ?? 'innerHTML',
        ...(p.busy ? { 'hx-disabled-elt': 'find button' } : {}),
      }
    : {}
  return (
    <form method="post" action={p.action} {...hx}>
      <CsrfField />
      {Object.entries(p.fields).flatMap(([name, value]) =>
        (typeof value === 'string' ? [value] : value).map((v) => (
          <input type="hidden" name={name} value={v} />
        )),
      )}
      {p.children}
      <button type="submit" class={`button button-${p.tone}`} data-action={p.name}>
        {p.label}
      </button>
    </form>
  )
}

/** The "no" of a confirmation: reloads `href` without JavaScript, fetches `fragment` into `target` with it. */
export function DismissLink(p: { href: string; fragment: string; target: string; label: string }) {
  return (
    <a
      class="button button-quiet"
      href={p.href}
      hx-get={p.fragment}
      hx-target={p.target}
      data-action="dismiss"
    >
      {p.label}
    </a>
  )
}
