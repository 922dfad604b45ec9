/**
 * The services run as the image's `node` user; the package's own code (init, actions) runs as
 * root. A file the package writes into the volume while the services run is handed to them, or a
 * 0600 file (API keys, the dashboard password) would be unreadable until the next start, when
 * main's `data-owner` step hands over the whole volume. Pure: no SDK import.
 */
import { chown } from 'node:fs/promises'

/** uid and gid of `node` in the official Node images the Dockerfile builds on. */
export const SERVICE_UID = 1000

export async function giveToServices(...paths: string[]): Promise<void> {
  for (const path of paths) await chown(path, SERVICE_UID, SERVICE_UID)
}
