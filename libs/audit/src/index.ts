export * from './canonical-json';
export * from './hash-chain';
export * from './integrity';
export * from './anchors';
export * from './replay';
