import { randomBytes } from 'node:crypto';

/** What the tenant logs in with. Lives encrypted in the read model and nowhere else. */
export interface AccessCredentials {
  username: string;
  password: string;
  api_token: string;
  issued_at: string;
}

/** Strong random credentials: 192-bit password, 256-bit API token. */
export function generateCredentials(tenantSlug: string, now = new Date()): AccessCredentials {
  return {
    username: `${tenantSlug}-admin`,
    password: randomBytes(24).toString('base64url'),
    api_token: `poc_${randomBytes(32).toString('base64url')}`,
    issued_at: now.toISOString(),
  };
}
