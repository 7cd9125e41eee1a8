// Entry point the worker bundles: every workflow the engine runs.
export { provisionEnvironment } from './provision-environment.workflow';
export { reconcileEnvironments } from './reconcile-environments.workflow';
export { deliverNotification } from './deliver-notification.workflow';
