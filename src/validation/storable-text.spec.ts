import { FreeText, MAX_DEPTH, MAX_TEXT_LENGTH, textProblem, unstorableText } from './storable-text';

class Named {
  @FreeText()
  name = '';
  code = '';
}

describe('textProblem', () => {
  it.each([
    ['plain text', 'ACME Cybersecurity Inc.'],
    ['letters outside ASCII and an emoji (a surrogate pair)', 'Müller & Søn 株式会社 🚀'],
    ['a string of exactly the longest length', 'x'.repeat(MAX_TEXT_LENGTH)],
  ])('accepts %s', (_case, value) => {
    expect(textProblem(value, 'strict')).toBeNull();
  });

  it.each([
    ['NUL', 'Acme\u0000Corp', /NUL/],
    ['a lone high surrogate', 'Acme\uD800', /surrogate/],
    ['a lone low surrogate', '\uDC00Acme', /surrogate/],
    ['a reversed surrogate pair', '\uDE00\uD83D', /surrogate/],
    ['an escape character (C0)', 'Acme\u001B[31m', /control/],
    ['DEL', 'Acme\u007F', /control/],
    ['a C1 control', 'Acme\u0085', /control/],
    ['a line feed', 'Acme\nCorp', /control/],
    ['a string one character too long', 'x'.repeat(MAX_TEXT_LENGTH + 1), /at most/],
  ])('refuses %s in a strict field', (_case, value, reason) => {
    expect(textProblem(value, 'strict')).toMatch(reason);
  });

  it('lets free text hold tab, line feed and carriage return, and nothing else of the controls', () => {
    expect(textProblem('line one\r\n\tline two', 'free')).toBeNull();
    expect(textProblem('bell\u0007', 'free')).toMatch(/control/);
    expect(textProblem('\u0000', 'free')).toMatch(/NUL/);
    expect(textProblem('\uD800', 'free')).toMatch(/surrogate/);
  });
});

describe('unstorableText', () => {
  it('names every bad string at every depth by its dotted path, strings in arrays by their array', () => {
    const issues = unstorableText({
      a: 'ok',
      b: { c: 'x\u0000', d: ['fine', 'y\u0001'] },
      e: [{ f: '\uD800' }],
    });
    expect(issues).toEqual([
      { field: 'b.c', reason: expect.stringMatching(/NUL/) },
      { field: 'b.d', reason: expect.stringMatching(/^item 1 .*control/) },
      { field: 'e.0.f', reason: expect.stringMatching(/surrogate/) },
    ]);
  });

  it('applies the free-text rule only to properties marked @FreeText', () => {
    const v = Object.assign(new Named(), { name: 'two\nlines', code: 'two\nlines' });
    expect(unstorableText(v)).toEqual([{ field: 'code', reason: expect.stringMatching(/control/) }]);
  });

  it('refuses a property name that cannot be stored', () => {
    expect(unstorableText({ outer: { 'a\u0000b': 1 } })).toEqual([
      { field: 'outer', reason: expect.stringMatching(/property name .*NUL/) },
    ]);
  });

  it(`refuses nesting deeper than ${MAX_DEPTH} levels instead of walking it`, () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(unstorableText({ deep })).toEqual([
      { field: expect.stringMatching(/^deep(\.0)+$/), reason: expect.stringMatching(/nested/) },
    ]);
  });

  it('finds nothing in numbers, booleans and nulls', () => {
    expect(unstorableText({ n: 1, b: true, z: null, list: [1, false] })).toEqual([]);
  });
});
