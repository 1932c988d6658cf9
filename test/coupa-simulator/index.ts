export * from './CoupaSimulator';
export type { SimRecord } from './resources';
