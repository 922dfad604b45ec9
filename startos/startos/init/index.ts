import { actions } from '../actions'
import { restoreInit } from '../backups'
import { setInterfaces } from '../interfaces'
import { sdk } from '../sdk'
import { versionGraph } from '../versions'
import { askForSparks } from './ask-for-sparks'
import { redactionKey } from './redaction-key'
import { sshKey } from './ssh-key'

/** In order: restore, versions (migrations), the SSH key, the redaction maps' key, interfaces, actions, the first-run task. */
export const init = sdk.setupInit(
  restoreInit,
  versionGraph,
  sshKey,
  redactionKey,
  setInterfaces,
  actions,
  askForSparks,
)

export const uninit = sdk.setupUninit(versionGraph)
