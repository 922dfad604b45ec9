import { type Chrome, Layout } from '../layout/layout.tsx'

/** A mistyped dashboard address still gets the real layout and a way home, not a JSON error. */
export function NotFoundPage({ chrome }: { chrome: Chrome }) {
  return (
    <Layout title="Page not found" current={null} chrome={chrome}>
      <h1>Page not found</h1>
      <div class="placeholder">
        <p>There is no dashboard page at this address. It may have been mistyped, or the link may be old.</p>
        <p>
          <a class="button" href="/">
            Back to the overview
          </a>
        </p>
      </div>
    </Layout>
  )
}
