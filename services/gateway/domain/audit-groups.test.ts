import { describe, expect, it } from 'vitest'
import { BACKEND_SERVICES } from '../../../shared/topology.ts'
import { groupFor } from './route-groups.ts'
import { resolveRoute } from './route-table.ts'

describe('audit reads need the admin scope when keys are on', () => {
  it('the merged view and every service’s own log, data backends included', () => {
    const paths = ['/api/audit', '/api/gateway/audit', ...BACKEND_SERVICES.map((s) => `/api/${s}/audit`)]
    for (const path of paths)
      expect([path, groupFor('GET', path, resolveRoute(path))]).toEqual([path, 'admin'])
  })

  it('each backend’s log is proxied to that backend, and the merged view is the gateway’s own', () => {
    expect(resolveRoute('/api/audit')).toBeNull()
    for (const s of BACKEND_SERVICES) expect(resolveRoute(`/api/${s}/audit`)?.service).toBe(s)
  })
})
