/**
 * Sample inputs of every action that takes input. `valid` passes the action's input spec and its
 * normaliser; `invalid` is refused by the input spec itself (wrong or missing types); `refused`
 * has the right shape but the action's normaliser refuses it with a sentence (patterns, lengths,
 * the product's rules). The manifest test checks the specs with them; the normalisers' tests use
 * them too. Pure: no SDK import. Hosts and users are placeholders.
 */

export interface ActionSamples {
  valid: unknown[]
  invalid: unknown[]
  refused: unknown[]
}

const node = (name: string, role: 'head' | 'worker', host = `${name}.example`) => ({
  name,
  host,
  user: 'owner',
  ssh_port: 22,
  role,
})

export const ACTION_SAMPLES = {
  configureSparks: {
    valid: [
      { nodes: [node('spark-1', 'head'), node('spark-2', 'worker')] },
      {
        nodes: [node('spark-1', 'head', '192.0.2.10'), node('spark-2', 'worker'), node('spark-3', 'worker')],
      },
      { nodes: [{ ...node('solo', 'head'), ssh_port: 2222 }] },
    ],
    invalid: [
      {},
      { nodes: 'spark-1' },
      { nodes: [{ ...node('spark-1', 'head'), ssh_port: '22' }] },
      { nodes: [{ ...node('spark-1', 'head'), role: 'leader' }] },
    ],
    refused: [
      { nodes: [] },
      { nodes: [node('spark-1', 'worker'), node('spark-2', 'worker')] },
      { nodes: [node('spark-1', 'head'), node('spark-1', 'worker')] },
      { nodes: [node('spark-1', 'head', 'http://spark-1.example:22')] },
      { nodes: [{ ...node('spark-1', 'head'), user: 'two words' }] },
      { nodes: [node('-rm', 'head', 'spark-1.example')] },
    ],
  },
  setDashboardPassword: {
    valid: [
      { choice: { selection: 'set', value: { password: 'a long enough password' } } },
      { choice: { selection: 'remove', value: {} } },
    ],
    invalid: [{}, { choice: { selection: 'set', value: { password: 42 } } }],
    refused: [
      { choice: { selection: 'set', value: { password: 'short' } } },
      { choice: { selection: 'set', value: { password: 'x'.repeat(1025) } } },
    ],
  },
  manageApiKeys: {
    valid: [
      { operation: { selection: 'list', value: {} } },
      { operation: { selection: 'add', value: { name: 'transcript-app', scopes: ['chat', 'audio'] } } },
      { operation: { selection: 'revoke', value: { name: 'transcript-app' } } },
      { operation: { selection: 'require', value: { groups: ['admin', 'chat'] } } },
      { operation: { selection: 'require', value: { groups: [] } } },
    ],
    invalid: [
      {},
      { operation: { selection: 'add', value: { name: 'x', scopes: ['everything'] } } },
      { operation: { selection: 'revoke', value: {} } },
      { operation: { selection: 'require', value: { groups: 'admin' } } },
    ],
    refused: [
      { operation: { selection: 'add', value: { name: 'two words', scopes: ['chat'] } } },
      { operation: { selection: 'add', value: { name: 'no-scopes', scopes: [] } } },
      { operation: { selection: 'revoke', value: { name: 'never-added' } } },
      { operation: { selection: 'require', value: { groups: ['everything'] } } },
    ],
  },
  configureUpstreams: {
    valid: [
      {
        VLLM_PORT: 8000,
        VLLM_CONTAINER: 'vllm_node',
        PARAKEET_URL: 'http://spark-2.example:8000',
        KOKORO_URL: null,
        EMBED_URL: 'http://spark-2.example:8088',
        QDRANT_URL: 'http://spark-2.example:6333',
        QDRANT_API_KEY: 'a-qdrant-key',
      },
      {
        VLLM_PORT: null,
        VLLM_CONTAINER: null,
        PARAKEET_URL: null,
        KOKORO_URL: null,
        EMBED_URL: null,
        QDRANT_URL: null,
        QDRANT_API_KEY: null,
      },
    ],
    invalid: [
      {
        VLLM_PORT: 'eight',
        VLLM_CONTAINER: null,
        PARAKEET_URL: null,
        KOKORO_URL: null,
        EMBED_URL: null,
        QDRANT_URL: null,
        QDRANT_API_KEY: null,
      },
    ],
    refused: [
      {
        VLLM_PORT: null,
        VLLM_CONTAINER: null,
        PARAKEET_URL: 'spark-2.example:8000',
        KOKORO_URL: null,
        EMBED_URL: null,
        QDRANT_URL: null,
        QDRANT_API_KEY: null,
      },
      {
        VLLM_PORT: 70000,
        VLLM_CONTAINER: 'not a name',
        PARAKEET_URL: null,
        KOKORO_URL: null,
        EMBED_URL: null,
        QDRANT_URL: null,
        QDRANT_API_KEY: null,
      },
    ],
  },
  configureAlerts: {
    valid: [
      {
        ALERT_WEBHOOK_URL: 'https://hooks.example/spark',
        ALERT_WEBHOOK_SECRET: 'a-shared-secret',
        ALERT_NTFY_URL: 'https://ntfy.sh/spark-control-alerts',
        ALERT_NTFY_TOKEN: null,
        ALERT_DEBOUNCE_S: 60,
      },
      {
        ALERT_WEBHOOK_URL: null,
        ALERT_WEBHOOK_SECRET: null,
        ALERT_NTFY_URL: null,
        ALERT_NTFY_TOKEN: null,
        ALERT_DEBOUNCE_S: null,
      },
    ],
    invalid: [
      {
        ALERT_WEBHOOK_URL: 42,
        ALERT_WEBHOOK_SECRET: null,
        ALERT_NTFY_URL: null,
        ALERT_NTFY_TOKEN: null,
        ALERT_DEBOUNCE_S: null,
      },
    ],
    refused: [
      {
        ALERT_WEBHOOK_URL: 'ftp://hooks.example/spark',
        ALERT_WEBHOOK_SECRET: null,
        ALERT_NTFY_URL: null,
        ALERT_NTFY_TOKEN: null,
        ALERT_DEBOUNCE_S: null,
      },
      {
        ALERT_WEBHOOK_URL: null,
        ALERT_WEBHOOK_SECRET: null,
        ALERT_NTFY_URL: null,
        ALERT_NTFY_TOKEN: null,
        ALERT_DEBOUNCE_S: 100_000,
      },
    ],
  },
  reapplyPatches: {
    valid: [
      { ids: [], mode: 'preview', confirm: false },
      { ids: ['parakeet-memory-cap'], mode: 'apply', confirm: true },
    ],
    invalid: [
      { ids: [], mode: 'force', confirm: true },
      { ids: 'all', mode: 'preview', confirm: false },
    ],
    refused: [{ ids: [], mode: 'apply', confirm: false }],
  },
} satisfies Record<string, ActionSamples>
