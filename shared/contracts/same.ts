/**
 * Compile-time checks that a service's own type is the contract's shape. `true satisfies Same<A, B>`
 * fails tsc when a field's type differs or a required field is missing on either side (each must
 * be assignable to the other; an extra optional field is not caught). `true satisfies Fits<A, B>`
 * checks one way only: every A is a valid B.
 */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
export type Fits<A, B> = [A] extends [B] ? true : false
