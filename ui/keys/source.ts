/**
 * What the API keys page reads and changes through: the gateway's key management (the key file),
 * in process. Refusals come as the AppErrors they are (409 name taken, 404 unknown key).
 */
import type { Scope } from '../../shared/auth/keys.ts'
import type { KeyCreated, KeyView } from '../../shared/contracts/keys.ts'

export type { KeyCreated, KeyView }

export interface KeysSource {
  list(): Promise<KeyView[]>
  create(name: string, scopes: Scope[], actor: string): Promise<KeyCreated>
  revoke(name: string, actor: string): Promise<void>
  /**
   * Whether this request may see and change keys: always while `admin` needs no key; else the
   * owner's session or an admin key. Key names and scopes are the admin's business.
   */
  mayManage(request: Request, owner: boolean): boolean
}
