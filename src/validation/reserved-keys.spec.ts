import { reservedKeys } from './reserved-keys';

describe('reservedKeys', () => {
  it('names __proto__, constructor and other inherited names at any depth, and nothing else', () => {
    const body = JSON.parse(
      '{"__proto__":{"tenant_slug":"evil"},"tenant_slug":"acme","company_info":{"company_name":"A","constructor":{"prototype":{"x":1}}},"list":[{"toString":1}]}',
    ) as unknown;
    expect(reservedKeys(body)).toEqual(
      expect.arrayContaining([
        { field: '__proto__', reason: 'property __proto__ should not exist' },
        { field: 'company_info.constructor', reason: 'property constructor should not exist' },
        { field: 'list.0.toString', reason: 'property toString should not exist' },
      ]),
    );
    expect(reservedKeys(body)).toHaveLength(3);
  });

  it('finds nothing in an ordinary request', () => {
    expect(reservedKeys({ tenant_slug: 'acme', company_info: { company_name: 'A' }, list: ['x', { y: 1 }] })).toEqual(
      [],
    );
  });
});
