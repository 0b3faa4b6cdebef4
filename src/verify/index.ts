export * from './report';
export { verifyTenantIsolation } from './verify';
export * from './format';
export { TenantIsolationVerifier, VerifyFormat } from './verifier';
