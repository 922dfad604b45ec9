/** Every URL of the dashboard's swap pages, fragments and forms, named once. */
export const SWAP_PATHS = {
  page: '/ui/swap',
  history: '/ui/history',
  logs: '/ui/logs',
  logLines: '/ui/fragments/logs',
  modelCard: '/ui/fragments/model',
  progress: '/ui/fragments/swap/progress',
  confirm: '/ui/fragments/swap/confirm',
  nodes: '/ui/fragments/nodes',
  recipes: '/ui/fragments/swap/recipes',
  lock: '/ui/fragments/lock',
  switchForm: '/ui/fragments/swap/switch-form',
  start: '/ui/actions/swap',
  cancel: '/ui/actions/swap/cancel',
  releaseLock: '/ui/actions/lock/release',
} as const
