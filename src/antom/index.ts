// The Antom wire protocol, shared by the gateway (both directions) and the sandbox acquirer.
export * from './keys';
export * from './signature';
export * from './request-time';
export * from './result-codes';
export * from './notify-ack';
export * from './types';
export * from './antom-error';
