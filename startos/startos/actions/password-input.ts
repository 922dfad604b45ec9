/**
 * "Set dashboard password": set (hashed by tools/dashboard-password.ts, the same code as its CLI)
 * or remove the owner's dashboard password. The gateway reads the file at start. Pure: no SDK import.
 */
import { passwordFilePath } from '../../../shared/auth/password-file.ts'
import {
  clearDashboardPassword,
  passwordProblem,
  setDashboardPassword,
} from '../../../tools/dashboard-password.ts'
import { ActionRefusal } from './result.ts'

export { PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS } from '../../../tools/dashboard-password.ts'

export type PasswordInput = {
  choice:
    | { selection: 'set'; value: { password: string } }
    | { selection: 'remove'; value: Record<string, never> }
}

export interface PasswordApplied {
  file: string
  /** True when a password is now set (the file exists). */
  set: boolean
}

export async function applyPassword(dataDir: string, input: PasswordInput): Promise<PasswordApplied> {
  const file = passwordFilePath(dataDir)
  if (input.choice.selection === 'remove') {
    await clearDashboardPassword(file)
    return { file, set: false }
  }
  const { password } = input.choice.value
  const problem = passwordProblem(password)
  if (problem) throw new ActionRefusal(`Not saved: ${problem}.`)
  await setDashboardPassword(file, password)
  return { file, set: true }
}

export function passwordMessage(applied: PasswordApplied, restarting: boolean): string {
  const what = applied.set
    ? 'The dashboard password is set (only its hash is stored).'
    : 'The dashboard password is removed: the dashboard asks for no login.'
  return restarting
    ? `${what} Spark Control is restarting, since the gateway reads the password at start.`
    : `${what} It applies when Spark Control next starts.`
}
