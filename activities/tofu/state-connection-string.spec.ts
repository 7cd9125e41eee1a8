import { stateConnectionString } from './state-connection-string';

describe('stateConnectionString', () => {
  it.each(['localhost', '127.0.0.1', '[::1]'])('disables TLS for a local server at %s', (host) => {
    const url = new URL(stateConnectionString(`postgres://poc:pa%40ss@${host}:5432/poc_state`));
    expect(url.searchParams.get('sslmode')).toBe('disable');
  });

  it('keeps the credentials, port, database and other parameters of a local server', () => {
    const url = new URL(stateConnectionString('postgres://poc:pa%40ss@localhost:5433/poc_state?connect_timeout=5'));
    expect([url.username, url.password, url.port, url.pathname]).toEqual(['poc', 'pa%40ss', '5433', '/poc_state']);
    expect(url.searchParams.get('connect_timeout')).toBe('5');
  });

  it.each(['require', 'verify-full'])('keeps an explicit sslmode=%s of a local server', (mode) => {
    const url = new URL(stateConnectionString(`postgres://poc@127.0.0.1/poc_state?sslmode=${mode}`));
    expect(url.searchParams.getAll('sslmode')).toEqual([mode]);
  });

  it.each(['postgres://poc:secret@10.1.2.3:5432/poc_state', 'postgres://poc:secret@db.example.com:5432/poc_state'])(
    'leaves the remote server %s as configured',
    (remote) => {
      expect(stateConnectionString(remote)).toBe(remote);
    },
  );

  it('recognises a local host whatever its letter case', () => {
    expect(new URL(stateConnectionString('postgres://u@LOCALHOST/db')).searchParams.get('sslmode')).toBe('disable');
  });
});
