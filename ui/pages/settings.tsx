/**
 * Settings: the optional knobs of the installation (speech lanes, addresses of the Spark 2
 * services, webhooks, alerts, hidden services), kept in the settings file of the data folder.
 * Anything set in the environment wins and is shown read-only. Filled in on the server, so it works
 * without JavaScript.
 */
import { Placeholder } from '../components/placeholder.tsx'
import { type Chrome, Layout } from '../layout/layout.tsx'
import { SettingsPanel } from '../settings/form.tsx'
import type { SettingsBody } from '../settings/source.ts'

export function SettingsPage({ chrome, body }: { chrome: Chrome; body: SettingsBody | null }) {
  return (
    <Layout title="Settings" current="settings" chrome={chrome}>
      <h1>Settings</h1>
      <p class="muted">
        Optional settings. Those marked “live” apply as soon as you save; the others when the service named
        beside them restarts. A setting made in the installation’s environment wins over this page.
      </p>
      <p>
        <a href="/ui/settings/keys" data-link="api-keys">
          API keys →
        </a>{' '}
        <span class="muted">create, list and revoke the keys apps and people use.</span>
      </p>
      <SettingsPanel body={body} />
    </Layout>
  )
}

/** The page of a dashboard built without the settings store (a test, or a gateway without it). */
export function SettingsPlaceholder({ chrome }: { chrome: Chrome }) {
  return (
    <Layout title="Settings" current="settings" chrome={chrome}>
      <Placeholder title="Settings">
        <p>The settings file is not connected to this dashboard, so there is nothing to show.</p>
      </Placeholder>
    </Layout>
  )
}
