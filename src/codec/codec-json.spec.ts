import { parseCodecBody, toCodecBody } from './codec-json';

describe('codec server JSON', () => {
  it('turns base64 payloads into bytes and back unchanged', () => {
    const body = { payloads: [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: 'e30=' }] };
    const payloads = parseCodecBody(body);
    expect(Buffer.from(payloads![0].data!).toString()).toBe('{}');
    expect(toCodecBody(payloads!)).toEqual(body);
  });

  it('keeps a payload without data (a null value)', () => {
    expect(toCodecBody(parseCodecBody({ payloads: [{ metadata: {} }] })!)).toEqual({ payloads: [{ metadata: {} }] });
  });

  it.each([
    ['no payloads list', {}],
    ['a payload that is not an object', { payloads: ['x'] }],
    ['data that is not a string', { payloads: [{ data: 1 }] }],
    ['metadata values that are not strings', { payloads: [{ metadata: { encoding: 1 } }] }],
    // Buffer.from(…, 'base64') skips what is not base64: the bytes would be other than sent.
    ['data that is not base64', { payloads: [{ data: '%%%' }] }],
    ['data with base64 inside other text', { payloads: [{ data: 'e30= and more' }] }],
    ['a metadata value that is not base64', { payloads: [{ metadata: { encoding: 'json/plain' } }] }],
  ])('refuses %s', (_what, body) => {
    expect(parseCodecBody(body)).toBeNull();
  });
});
