/** Every URL of the dashboard's API keys page and its forms, named once. */
export const KEYS_PATHS = {
  page: '/ui/settings/keys',
  create: '/ui/actions/keys/create',
  revoke: '/ui/actions/keys/revoke',
} as const
