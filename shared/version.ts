/**
 * Spark Control's version, as package.json and the StartOS package (its `X.Y.Z` before the `:N`)
 * say it; `/health` and the OpenAPI documents report it. version.test.ts keeps the three equal.
 */
export const PRODUCT_VERSION = '1.0.0'
