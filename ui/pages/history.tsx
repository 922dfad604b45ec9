/** Placeholder until this page is built; it says what will be here. */
import { Placeholder } from '../components/placeholder.tsx'
import { type Chrome, Layout } from '../layout/layout.tsx'

export function HistoryPage({ chrome }: { chrome: Chrome }) {
  return (
    <Layout title="History" current="history" chrome={chrome}>
      <Placeholder title="History">
        <p>
          Here you will see every change made to the cluster (model switches, stops, restarts): who asked for
          it, when, and how it went.
        </p>
      </Placeholder>
    </Layout>
  )
}
