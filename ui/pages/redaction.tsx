/** Placeholder until this page is built; it says what will be here. */
import { Placeholder } from '../components/placeholder.tsx'
import { type Chrome, Layout } from '../layout/layout.tsx'

export function RedactionPage({ chrome }: { chrome: Chrome }) {
  return (
    <Layout title="Redaction" current="redaction" chrome={chrome}>
      <Placeholder title="Redaction">
        <p>
          Here you will try hiding sensitive details (names, phone numbers, addresses and the like) in a
          sample text and putting them back, and see how many of each kind were found.
        </p>
      </Placeholder>
    </Layout>
  )
}
