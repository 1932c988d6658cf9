export * from './CoupaSimulator';
export type { SimRecord } from './records';
export type { FieldSpec } from './query';
export * from './callOut';
