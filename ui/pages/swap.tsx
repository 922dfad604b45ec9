/** Placeholder until this page is built; it says what will be here. */
import { Placeholder } from '../components/placeholder.tsx'
import { type Chrome, Layout } from '../layout/layout.tsx'

export function SwapPage({ chrome }: { chrome: Chrome }) {
  return (
    <Layout title="Swap model" current="swap" chrome={chrome}>
      <Placeholder title="Swap model">
        <p>
          Here you will switch the chat model: pick a model, read in plain words what the switch will do and
          how long it usually takes, confirm, then watch it load step by step with a time estimate and a
          cancel button.
        </p>
      </Placeholder>
    </Layout>
  )
}
