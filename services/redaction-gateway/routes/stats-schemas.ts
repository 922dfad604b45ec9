/** OpenAPI shape of `GET /api/redaction/stats`: the contract in shared/contracts/redaction-gateway.ts. */
export { RedactionStats } from '../../../shared/contracts/redaction-gateway.ts'
