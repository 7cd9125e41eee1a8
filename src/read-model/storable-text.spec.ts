import { isDataException, storableJson, storableText } from './storable-text';

describe('storable text', () => {
  it('removes NUL characters', () => {
    expect(storableText('Acme\u0000Corp')).toBe('AcmeCorp');
  });

  it('replaces lone surrogates and keeps surrogate pairs', () => {
    expect(storableText('a\ud800b\udc00c')).toBe('a\ufffdb\ufffdc');
    expect(storableText('ok \ud83d\ude00')).toBe('ok \ud83d\ude00');
  });

  it('cleans every string of a JSON value, keys included, and keeps the rest', () => {
    expect(storableJson({ 'k\u0000': ['x\u0000', 1, null, { y: 'z\ud800' }], n: 2, b: true })).toEqual({
      k: ['x', 1, null, { y: 'z\ufffd' }],
      n: 2,
      b: true,
    });
  });

  it('recognises a data exception by its SQLSTATE class 22 only', () => {
    expect(isDataException({ code: '22021' })).toBe(true);
    expect(isDataException({ code: '22P05' })).toBe(true);
    expect(isDataException({ code: '23505' })).toBe(false);
    expect(isDataException(new Error('connect ECONNREFUSED'))).toBe(false);
    expect(isDataException(null)).toBe(false);
  });
});
