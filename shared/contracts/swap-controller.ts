/**
 * Everything of the swap-controller's HTTP and SSE answers that another process reads, in one
 * place: zod schemas (the controller's routes publish their OpenAPI from them) and the types
 * inferred from them (the gateway's dashboard reads its answers as these, and checks them with
 * the schemas). The files under ./swap-controller/ hold one area each; import this file.
 */
export * from './swap-controller/catalog.ts'
export * from './swap-controller/coordination.ts'
export * from './swap-controller/models.ts'
export * from './swap-controller/ops.ts'
export * from './swap-controller/services-earlier.ts'
export * from './swap-controller/swap.ts'
export * from './swap-controller/telemetry.ts'
