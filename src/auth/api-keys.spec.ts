import { parseApiKeys } from './api-keys';

const KEY = 'k'.repeat(20);
const OTHER = 'o'.repeat(24);
const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';

describe('parseApiKeys: tenant-scoped keys (ADR 0019)', () => {
  it('keeps every earlier form: a bare key (every scope, every tenant) and key:scope+scope', () => {
    const { entries, problems } = parseApiKeys(`${KEY},${OTHER}:provision+read`);
    expect(problems).toEqual([]);
    expect(entries.map(({ scopes, tenants }) => ({ scopes, tenants }))).toEqual([
      { scopes: ['provision', 'read', 'credentials', 'admin'], tenants: undefined },
      { scopes: ['provision', 'read'], tenants: undefined },
    ]);
  });

  it('limits key:scope+scope@tenant+tenant to those tenants, kept lower-case and once each', () => {
    const { entries, problems } = parseApiKeys(`${KEY}:provision+read@${T1}+${T2.toUpperCase()}+${T1}, ${OTHER}:read`);
    expect(problems).toEqual([]);
    expect(entries[0]).toMatchObject({ key: KEY, scopes: ['provision', 'read'], tenants: [T1, T2] });
    expect(entries[1].tenants).toBeUndefined();
  });

  it('gives a scoped key the same id as the key alone (its id is of the key, not of the entry)', () => {
    const [scoped] = parseApiKeys(`${KEY}:read@${T1}`).entries;
    const [plain] = parseApiKeys(KEY).entries;
    expect(scoped.id).toBe(plain.id);
  });

  it.each([
    ['an empty tenant list', `${KEY}:read@`, 'entry 1: its tenant list names no tenant id'],
    ['a tenant list of "+"', `${KEY}:read@+`, 'entry 1: its tenant list names no tenant id'],
    ['a tenant that is not a UUID', `${KEY}:read@acme`, 'entry 1: its tenant list tenant id 1 is not a UUID'],
    ['an empty tenant between two', `${KEY}:read@${T1}++${T2}`, 'entry 1: its tenant list tenant id 2 is not a UUID'],
    ['a second @', `${KEY}:read@${T1}@${T2}`, 'entry 1: its tenant list tenant id 1 is not a UUID'],
    ['tenants without scopes', `${KEY}@${T1}`, 'entry 1: a tenant list needs the scopes before it'],
    ['tenants after an empty scope list', `${KEY}:@${T1}`, 'entry 1: unknown scope(s) (none)'],
    ['an unknown scope before the tenants', `${KEY}:root@${T1}`, 'entry 1: unknown scope(s) root'],
    // A comma starts the next key: this would make T2 a key with every scope and every tenant.
    ['tenants joined with a comma', `${KEY}:read@${T1},${T2}`, 'entry 2: is a tenant id, not a key'],
  ])('refuses %s with a message naming the entry and the rule', (_case, raw, message) => {
    const { problems } = parseApiKeys(raw);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
    expect(problems[0]).not.toContain(KEY);
  });

  it('names every bad entry, not only the first', () => {
    const { problems } = parseApiKeys(`${KEY}:read@acme,short:read@${T1},${OTHER}:read@`);
    expect(problems.map((p) => p.slice(0, 7))).toEqual(['entry 1', 'entry 2', 'entry 3']);
  });
});
