// The typed client of the POC provisioning API, for the signup backend.
export * from './api-types';
export * from './client-errors';
export { PocProvisioningClient, type PocProvisioningClientOptions, type WaitOptions } from './poc-provisioning-client';
export { provisioningRequestFromSignup, tenantSlugFrom, type SignupForm } from './signup-form';
