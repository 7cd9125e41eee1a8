import { LOG_FIELD_MAX } from './bounded-text';
import { createLogger } from './create-logger';

function captured(level: 'info' | 'debug' = 'info') {
  const lines: string[] = [];
  const logger = createLogger({ level, service: 'test' }, { write: (l: string) => void lines.push(l) });
  return { logger, lines: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('writes one JSON object per line with level name, ISO time and service', () => {
    const { logger, lines } = captured();
    logger.info({ job_id: 'j1' }, 'hello');
    expect(lines()[0]).toMatchObject({ level: 'info', service: 'test', job_id: 'j1', msg: 'hello' });
    expect(String(lines()[0].time)).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('redacts API keys in headers and the contact details of a request', () => {
    const { logger, lines } = captured();
    logger.info({
      req: { headers: { authorization: 'Bearer secret-key', 'x-api-key': 'secret-key' } },
      body: { tenant_slug: 'acme', contact_email: 'a@b.c', company_info: { company_name: 'Acme' } },
    });
    const text = JSON.stringify(lines());
    expect(text).not.toContain('secret-key');
    expect(text).not.toContain('a@b.c');
    expect(text).not.toContain('Acme');
    expect(text).toContain('acme');
  });

  it('redacts every personal field of a request wherever it is logged on its own', () => {
    const { logger, lines } = captured();
    logger.info({ job: { company_name: 'Roe Ltd', contact_name: 'Jane Roe', contact_email: 'jane@roe.test' } });
    const text = JSON.stringify(lines());
    for (const value of ['Roe Ltd', 'Jane Roe', 'jane@roe.test']) expect(text).not.toContain(value);
  });

  it('bounds every string of a line, in fields, nested fields, child bindings and the message', () => {
    const { logger, lines } = captured();
    const long = 'x'.repeat(60_000);
    logger.child({ tenant_slug: long }).info({ slug: long, req: { url: long } }, long);
    const line = JSON.stringify(lines()[0]);
    expect(line.length).toBeLessThan(5 * (LOG_FIELD_MAX + 100));
    expect(line).toContain('more characters');
  });

  it('keeps the bindings of every ancestor on a grandchild line, and bounds those set later', () => {
    const { logger, lines } = captured();
    const grandchild = logger.child({ request_id: 'r1' }).child({ job_id: 'j1' });
    grandchild.setBindings({ tenant_slug: 'y'.repeat(LOG_FIELD_MAX + 5) });
    grandchild.info('hello');
    expect(lines()[0]).toMatchObject({ request_id: 'r1', job_id: 'j1' });
    expect(String(lines()[0].tenant_slug)).toHaveLength(LOG_FIELD_MAX + '…(5 more characters)'.length);
  });

  it('respects the level: debug lines are dropped at info', () => {
    const { logger, lines } = captured('info');
    logger.debug('not shown');
    expect(lines()).toEqual([]);
  });
});
