const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/**
 * The connection string tofu's pg backend gets. Its driver (lib/pq) insists on TLS unless told
 * otherwise, while a local Postgres usually has none: for a local host without an explicit
 * sslmode, say `disable`; anything else is passed on as configured.
 */
export function stateConnectionString(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  if (!url.searchParams.has('sslmode') && LOCAL_HOSTS.has(url.hostname.toLowerCase()))
    url.searchParams.set('sslmode', 'disable');
  return url.toString();
}
