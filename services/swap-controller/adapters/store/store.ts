/**
 * The swap-controller's database, `<DATA_DIR>/swap-controller.db`: audit log, swap records (load
 * history), the swap lock, the schedule registry, the webhook outbox, custom model cards and model
 * download jobs. SQLite through the shared kit (WAL, synchronous=FULL: a write has reached the disk
 * when a call returns).
 */
import { join } from 'node:path'
import { type Database, openDatabase } from '../../../../shared/sqlite.ts'
import type { CoordinationStore } from '../../domain/coordination/ports.ts'
import type { CustomModelStore } from '../../domain/models/custom.ts'
import type { DownloadJournal } from '../../domain/models/downloads.ts'
import { auditRepository } from './audit.ts'
import { customModelRepository } from './custom-models.ts'
import { downloadJobs } from './download-jobs.ts'
import { type SwapRecords, swapRecords } from './loads.ts'
import { lockRepository } from './lock-row.ts'
import { webhookOutbox } from './outbox.ts'
import { scheduleRepository } from './schedule-table.ts'
import { MIGRATIONS } from './schema.ts'

export const STORE_FILE = 'swap-controller.db'

export interface StoreLimits {
  auditRows: number
  swapRecords: number
  outboxRows: number
  downloadJobs: number
}

export const DEFAULT_LIMITS: StoreLimits = {
  auditRows: 10_000,
  swapRecords: 2_000,
  outboxRows: 1_000,
  downloadJobs: 200,
}

export interface SwapStore extends CoordinationStore {
  readonly path: string
  /** Swap records; also the `LoadHistory` the catalog reads. */
  loads: SwapRecords
  /** Custom model cards (`POST /api/models`). */
  customModels: CustomModelStore
  /** Model download jobs (`POST /api/models/download`). */
  downloads: DownloadJournal
  close(): void
}

export interface OpenSwapStoreOptions {
  /** The service's DATA_DIR; the file is `<dataDir>/swap-controller.db`. */
  dataDir?: string
  /** An explicit file, or `:memory:` for tests. */
  path?: string
  limits?: Partial<StoreLimits>
}

export async function openSwapStore(options: OpenSwapStoreOptions): Promise<SwapStore> {
  const path = options.path ?? join(options.dataDir ?? '.', STORE_FILE)
  const db = await openDatabase(path, { migrations: MIGRATIONS })
  return swapStoreOn(db, { ...DEFAULT_LIMITS, ...options.limits })
}

export function swapStoreOn(db: Database, limits: StoreLimits): SwapStore {
  return {
    path: db.path,
    transaction: (fn) => db.transaction(fn),
    lock: lockRepository(db),
    audit: auditRepository(db, limits.auditRows),
    schedule: scheduleRepository(db),
    outbox: webhookOutbox(db, limits.outboxRows),
    loads: swapRecords(db, limits.swapRecords),
    customModels: customModelRepository(db),
    downloads: downloadJobs(db, limits.downloadJobs),
    close: () => db.close(),
  }
}
