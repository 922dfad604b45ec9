/** Placeholder until this page is built; it says what will be here. */
import { Placeholder } from '../components/placeholder.tsx'
import { type Chrome, Layout } from '../layout/layout.tsx'

export function ConnectivityPage({ chrome }: { chrome: Chrome }) {
  return (
    <Layout title="Connectivity" current="connectivity" chrome={chrome}>
      <Placeholder title="Connectivity">
        <p>
          Here you will see a timeline of outages and how reliably each Spark box and service has been
          reachable over the last days.
        </p>
      </Placeholder>
    </Layout>
  )
}
