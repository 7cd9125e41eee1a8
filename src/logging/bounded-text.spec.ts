import { boundedLogFields, boundedText, INPUT_IN_LOG_MAX, LOG_FIELD_MAX } from './bounded-text';

describe('boundedText', () => {
  it('keeps text within the bound as it is', () => {
    expect(boundedText('acme-corp')).toBe('acme-corp');
  });

  it('cuts a 60 KB slug to the bound and says how much was left out', () => {
    const cut = boundedText('a'.repeat(60_000));
    expect(cut).toBe(`${'a'.repeat(INPUT_IN_LOG_MAX)}…(${60_000 - INPUT_IN_LOG_MAX} more characters)`);
  });

  it('cuts between code points, never inside a surrogate pair', () => {
    const cut = boundedText('😀'.repeat(300), 3);
    expect(cut.startsWith('😀😀😀…')).toBe(true);
    expect(cut).toContain('(297 more characters)');
  });
});

describe('boundedLogFields', () => {
  it('bounds strings in nested objects and arrays and leaves other values alone', () => {
    const long = 'z'.repeat(LOG_FIELD_MAX + 10);
    const error = new Error(long);
    const out = boundedLogFields({ a: long, n: 1, nested: { list: [long] }, error });
    expect(out.a).toHaveLength(LOG_FIELD_MAX + '…(10 more characters)'.length);
    expect(out.nested.list[0]).toBe(out.a);
    expect(out.n).toBe(1);
    expect(out.error).toBe(error);
  });
});
