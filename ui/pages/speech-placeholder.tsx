/** The speech page of a dashboard built without the speech-proxy (a test, or a gateway without it). */
import { Placeholder } from '../components/placeholder.tsx'
import { type Chrome, Layout } from '../layout/layout.tsx'

export function SpeechPlaceholder({ chrome }: { chrome: Chrome }) {
  return (
    <Layout title="Speech" current="speech" chrome={chrome}>
      <Placeholder title="Speech">
        <p>The speech service is not connected to this dashboard, so there is nothing to show.</p>
      </Placeholder>
    </Layout>
  )
}
