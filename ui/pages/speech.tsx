/** Placeholder until this page is built; it says what will be here. */
import { Placeholder } from '../components/placeholder.tsx'
import { type Chrome, Layout } from '../layout/layout.tsx'

export function SpeechPage({ chrome }: { chrome: Chrome }) {
  return (
    <Layout title="Speech" current="speech" chrome={chrome}>
      <Placeholder title="Speech">
        <p>
          Here you will see how busy transcription and text to speech are: how many requests are waiting in
          each lane, and the most recent jobs and how long they took.
        </p>
      </Placeholder>
    </Layout>
  )
}
