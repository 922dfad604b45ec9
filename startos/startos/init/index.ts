import { actions } from '../actions'
import { restoreInit } from '../backups'
import { setInterfaces } from '../interfaces'
import { sdk } from '../sdk'
import { versionGraph } from '../versions'
import { askForSparks } from './ask-for-sparks'
import { sshKey } from './ssh-key'

/** In order: restore, versions (migrations), the SSH key, interfaces, actions, the first-run task. */
export const init = sdk.setupInit(restoreInit, versionGraph, sshKey, setInterfaces, actions, askForSparks)

export const uninit = sdk.setupUninit(versionGraph)
