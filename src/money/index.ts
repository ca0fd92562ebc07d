export * from './money';
export * from './rate';
export * from './allocate';
