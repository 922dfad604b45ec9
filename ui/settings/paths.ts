/** Every URL of the dashboard's Settings page and its form, named once. */
export const SETTINGS_PATHS = {
  page: '/ui/settings',
  save: '/ui/actions/settings',
} as const

/** A secret's "remove it" checkbox is named after the secret with this prefix. */
export const CLEAR_PREFIX = 'clear:'
