// pure-rand 8 publishes its modules only through package "exports", which the repository's `node10`
// module resolution does not read; these aliases give the exported paths their published types.
declare module 'pure-rand/generator/xoroshiro128plus' {
  export { xoroshiro128plus } from 'pure-rand/lib/generator/xoroshiro128plus';
}
declare module 'pure-rand/distribution/uniformFloat64' {
  export { uniformFloat64 } from 'pure-rand/lib/distribution/uniformFloat64';
}
declare module 'pure-rand/types/JumpableRandomGenerator' {
  export type { JumpableRandomGenerator } from 'pure-rand/lib/types/JumpableRandomGenerator';
}
