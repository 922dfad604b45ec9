/**
 * What the swap-controller serves. Chat, model switching, model management, coordination and
 * telemetry are built; the earlier `/api/services*` (restart an upstream) and `/api/nim/install`
 * are routed here already and answer 501 until their issue builds them and moves them to `built`
 * (shared/capabilities.ts).
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
    name: 'service-control',
    title: 'Service control',
    needs: [],
    built: [],
    planned: ['GET /api/services', 'POST /api/services/:name/:action'],
  },
  {
    name: 'nim',
    title: 'NIM install',
    needs: [],
    built: [],
    planned: ['POST /api/nim/install'],
  },
] as const satisfies readonly Capability[]
