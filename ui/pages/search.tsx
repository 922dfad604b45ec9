/** Placeholder until this page is built; it says what will be here. */
import { Placeholder } from '../components/placeholder.tsx'
import { type Chrome, Layout } from '../layout/layout.tsx'

export function SearchPage({ chrome }: { chrome: Chrome }) {
  return (
    <Layout title="Search" current="search" chrome={chrome}>
      <Placeholder title="Search">
        <p>
          Here you will see your search collections, how many documents each holds, and a box to try a search.
        </p>
      </Placeholder>
    </Layout>
  )
}
