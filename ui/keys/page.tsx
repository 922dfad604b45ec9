/** Settings → API keys: the keys of the installation, made and revoked here or with tools/api-keys.ts. */
import { type Chrome, Layout } from '../layout/layout.tsx'
import { KeysPanel, type KeysPanelProps } from './panel.tsx'

export function KeysPage({ chrome, ...panel }: KeysPanelProps & { chrome: Chrome }) {
  return (
    <Layout title="API keys" current="settings" chrome={chrome}>
      <p>
        <a href="/ui/settings">← Settings</a>
      </p>
      <h1>API keys</h1>
      <p class="muted">
        Keys let apps and people use the route groups switched on in <code>API_KEY_GROUPS</code>. A key is
        shown once, when it is made; the gateway keeps only its digest. To rotate one: create a new key,
        switch the app to it, then revoke the old one. Revoking takes effect within about two seconds. Last
        used and requests count what the gateway accepted while keys are on.
      </p>
      <KeysPanel {...panel} />
    </Layout>
  )
}
