// @poc-engine/client: the typed client of the POC provisioning API, for signup backends.
// Its types are generated from docs/openapi.json (`npm run clients`); this layer adds retries,
// idempotent submits, typed errors, waiting, paging and the signup conversion.
export * from './api-types';
export * from './client-errors';
export type { components, operations, paths } from './generated/openapi';
export {
  PocProvisioningClient,
  SETTLED_STATUSES,
  type PocProvisioningClientOptions,
  type WaitOptions,
} from './poc-provisioning-client';
export type { RetryPolicy } from './retrying-fetch';
export {
  convertSignupToProvisioningRequest,
  defaultFeatures,
  provisioningRequestFromSignup,
  tenantSlugFrom,
  type SignupData,
  type SignupForm,
} from './signup-form';
