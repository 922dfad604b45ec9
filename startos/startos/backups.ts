import { sdk } from './sdk'

/** The `main` volume holds everything: settings, keys, the SSH key, the databases. */
export const { createBackup, restoreInit } = sdk.setupBackups(async () => sdk.Backups.ofVolumes('main'))
