export * from './address.ts';
export * from './host-pool.ts';
export * from './parse-result.ts';
export * from './prefix.ts';
export * from './prefix-pool.ts';
