/** Placeholder until this page is built; it says what will be here. */
import { Placeholder } from '../components/placeholder.tsx'
import { type Chrome, Layout } from '../layout/layout.tsx'

export function LogsPage({ chrome }: { chrome: Chrome }) {
  return (
    <Layout title="Logs" current="logs" chrome={chrome}>
      <Placeholder title="Logs">
        <p>
          Here you will see the live logs of every part of Spark Control and of the Spark boxes, to help find
          out what went wrong when something does.
        </p>
      </Placeholder>
    </Layout>
  )
}
