import { stateConnectionString } from './state-connection-string';

describe('stateConnectionString', () => {
  it.each(['localhost', '127.0.0.1', '[::1]'])('disables TLS for a local server at %s', (host) => {
    const url = new URL(stateConnectionString(`postgres://u:p@${host}:5432/db`));
    expect(url.searchParams.get('sslmode')).toBe('disable');
    expect([url.username, url.password, url.pathname]).toEqual(['u', 'p', '/db']);
  });

  it('keeps an explicit sslmode', () => {
    expect(stateConnectionString('postgres://u@localhost/db?sslmode=require')).toMatch(/sslmode=require$/);
  });

  it('leaves a remote server as configured', () => {
    expect(stateConnectionString('postgres://u:p@10.1.2.3:5432/db')).toBe('postgres://u:p@10.1.2.3:5432/db');
  });
});
