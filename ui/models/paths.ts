/** Every URL of the dashboard's models page, its fragments and forms, named once. */
export const MODELS_PATHS = {
  page: '/ui/models',
  list: '/ui/fragments/models/list',
  suggest: '/ui/fragments/models/suggest',
  downloads: '/ui/fragments/models/downloads',
  downloadConfirm: '/ui/fragments/models/download/confirm',
  deleteConfirm: '/ui/fragments/models/delete/confirm',
  download: '/ui/actions/models/download',
  cancelDownload: '/ui/actions/models/downloads/cancel',
  remove: '/ui/actions/models/delete',
  add: '/ui/actions/models/add',
} as const
