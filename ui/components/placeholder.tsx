/** The body of a page that is not built yet: what it will show, in plain words, and a way back. */
import type { Child } from 'hono/jsx'

export function Placeholder({ title, children }: { title: string; children?: Child }) {
  return (
    <>
      <h1>{title}</h1>
      <div class="placeholder">
        <p class="placeholder-lead">This page is not ready yet.</p>
        {children}
        <p>
          <a class="button" href="/">
            Back to the overview
          </a>
        </p>
      </div>
    </>
  )
}
