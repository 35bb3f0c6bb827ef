export { startEventWorkers, type EventWorkerOptions, type EventWorkers } from './event-workers.ts';
export { failedDeliveries, retryDelivery, retryAllFailed, type FailedDelivery } from './failed-deliveries.ts';
export { classifyError, type FailureKind } from './classify-error.ts';
export { ledgerKeys, type StepFailure } from './delivery-ledger.ts';
export { pluginsHeedingBot } from './bot-comments.ts';
