/**
 * What the swap-controller serves. Chat, model switching, model management, coordination and
 * telemetry are built, and so are the earlier service tiles (`/api/services*`) and
 * `/api/nim/install`. A route the gateway sends here before it is written goes under `planned`
 * and answers 501 (shared/capabilities.ts).
 */
import type { Capability } from '../../shared/capabilities.ts'

export const SWAP_CONTROLLER_CAPABILITIES = [
  {
    name: 'chat',
    title: 'Chat',
    needs: ['vllm'],
    built: ['POST /v1/chat/completions', 'POST /v1/completions', 'GET /v1/models'],
    planned: [],
  },
  {
    name: 'swaps',
    title: 'Model switching',
    needs: ['node:*'],
    built: [
      'POST /api/swap',
      'GET /api/swap/state',
      'GET /api/swap/events',
      'POST /api/swap/cancel',
      'POST /api/swap/stop',
      'GET /api/swap/models',
      'GET /api/swap/:id',
      'GET /api/swap/:id/stream',
      'POST /api/swap/:key/validate',
    ],
    planned: [],
  },
  {
    name: 'coordination',
    title: 'Swap lock, schedule and history',
    needs: [],
    built: [
      'GET /api/swap/lock',
      'POST /api/swap/lock',
      'DELETE /api/swap/lock',
      'GET /api/schedule',
      'POST /api/schedule',
      'DELETE /api/schedule',
      'DELETE /api/schedule/:id',
      'GET /api/swap/history',
    ],
    planned: [],
  },
  {
    name: 'models',
    title: 'Model management',
    needs: ['node:*'],
    built: [
      'GET /api/models',
      'POST /api/models',
      'DELETE /api/models/:key',
      'GET /api/models/suggest',
      'POST /api/models/download',
      'GET /api/models/downloads',
      'GET /api/models/downloads/:id',
      'DELETE /api/models/downloads/:id',
    ],
    planned: [],
  },
  {
    name: 'telemetry',
    title: 'Telemetry and logs',
    needs: ['node:*'],
    built: [
      'GET /api/swap/telemetry',
      'GET /api/swap/telemetry/stream',
      'GET /api/swap/logs',
      'GET /api/swap/logs/recent',
      'GET /api/swap-controller/nodes',
    ],
    planned: [],
  },
  {
    name: 'ops-sweep',
    title: 'Concurrency sweep',
    // The swept backends are checked when a sweep starts, not by this service's readiness.
    needs: [],
    built: ['POST /api/ops/sweeps', 'GET /api/ops/sweeps', 'GET /api/ops/sweeps/:id'],
    planned: [],
  },
  {
    name: 'operations',
    title: 'Cluster operations',
    needs: ['node:*'],
    built: [
      'GET /api/ops/services',
      'POST /api/ops/services/:name/restart',
      'GET /api/ops/services/:name/logs',
      'GET /api/ops/patches',
      'POST /api/ops/patches/apply',
    ],
    planned: [],
  },
  {
    name: 'service-control',
    title: 'Service control',
    needs: ['node:*'],
    built: ['GET /api/services', 'POST /api/services/:name/:action', 'GET /api/services/:name/logs'],
    planned: [],
  },
  {
    name: 'nim',
    title: 'NIM install',
    needs: ['node:*'],
    built: ['POST /api/nim/install'],
    planned: [],
  },
] as const satisfies readonly Capability[]
