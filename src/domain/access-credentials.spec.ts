import { generateCredentials } from './access-credentials';

describe('generateCredentials', () => {
  it('issues a tenant-named user with a long random password and API token', () => {
    const c = generateCredentials('acme', new Date('2030-01-01T00:00:00Z'));
    expect(c).toMatchObject({ username: 'acme-admin', issued_at: '2030-01-01T00:00:00.000Z' });
    expect(c.password).toMatch(/^[\w-]{32}$/);
    expect(c.api_token).toMatch(/^poc_[\w-]{43}$/);
  });

  it('never issues the same secrets twice', () => {
    const passwords = new Set(Array.from({ length: 200 }, () => generateCredentials('acme').password));
    expect(passwords.size).toBe(200);
  });
});
