/**
 * The map store's tables. `maps` holds no secret (handle, task, times); `entries` holds each value
 * sealed (see map-store-crypto.ts) with the HMAC that finds an equal value without decrypting.
 * `surfaces` (version 2) holds, per map, the text a placeholder replaced where it differs from the
 * token's value ("Sarah" for the token of "Sarah Johnson"), sealed, under the HMAC of its context
 * (map-store-surfaces.ts); its token, as in `entries`, is no secret and lets a rehydration hash
 * only the placeholders that have any. Deleting a map deletes its entries and surfaces (foreign key, cascade).
 */
export const MAP_STORE_MIGRATIONS = [
  `CREATE TABLE maps (
     handle TEXT PRIMARY KEY,
     task_id TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL
   );
   CREATE INDEX maps_by_expiry ON maps (expires_at);
   CREATE TABLE entries (
     handle TEXT NOT NULL REFERENCES maps (handle) ON DELETE CASCADE,
     token TEXT NOT NULL,
     type TEXT NOT NULL,
     value_hash BLOB NOT NULL,
     ciphertext BLOB NOT NULL,
     iv BLOB NOT NULL,
     tag BLOB NOT NULL,
     PRIMARY KEY (handle, token),
     UNIQUE (handle, type, value_hash)
   );`,
  `CREATE TABLE surfaces (
     handle TEXT NOT NULL REFERENCES maps (handle) ON DELETE CASCADE,
     context_hash BLOB NOT NULL,
     token TEXT NOT NULL,
     ciphertext BLOB NOT NULL,
     iv BLOB NOT NULL,
     tag BLOB NOT NULL,
     PRIMARY KEY (handle, context_hash)
   );
   CREATE INDEX surfaces_by_token ON surfaces (handle, token);`,
] as const
