import { Logger, NotFoundException, type ArgumentsHost } from '@nestjs/common';
import { DomainError } from '../domain/domain-error';
import { DomainExceptionFilter } from './domain-exception.filter';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
type Body = any;

/** Runs the filter against a response that records what it was told to send. */
function answer(exception: unknown): { status: number; body: Body } {
  const sent = { status: 0, body: undefined as Body };
  const res = {
    status(code: number) {
      sent.status = code;
      return res;
    },
    json(body: unknown) {
      sent.body = body;
      return res;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
  new DomainExceptionFilter().catch(exception, host);
  return sent;
}

describe('DomainExceptionFilter', () => {
  afterEach(() => jest.restoreAllMocks());

  it('answers a validation failure with 400 and the one error shape', () => {
    const details = [{ field: 'poc_config.poc_tier', reason: 'poc_tier must be one of ...' }];
    expect(answer(new DomainError('VALIDATION_FAILED', 'Invalid request: poc_config.poc_tier', details))).toEqual({
      status: 400,
      body: {
        success: false,
        error: { code: 'VALIDATION_FAILED', message: 'Invalid request: poc_config.poc_tier', details },
      },
    });
  });

  it.each([
    ['JOB_NOT_FOUND', 404],
    ['ENVIRONMENT_ALREADY_ACTIVE', 409],
    ['TENANT_SLUG_TAKEN', 409],
    ['UNAUTHENTICATED', 401],
    ['DEPENDENCY_UNAVAILABLE', 503],
  ] as const)('answers %s with %i', (code, status) => {
    expect(answer(new DomainError(code, 'x')).status).toBe(status);
  });

  it('adds the error context, such as the live job id of a conflict, to the error', () => {
    const res = answer(new DomainError('ENVIRONMENT_ALREADY_ACTIVE', 'live', [], { job_id: 'j-1' }));
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'ENVIRONMENT_ALREADY_ACTIVE', job_id: 'j-1' });
  });

  it('answers a Nest NotFoundException with 404 NOT_FOUND', () => {
    expect(answer(new NotFoundException())).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
  });

  it.each([
    [
      'unparseable JSON',
      { status: 400, type: 'entity.parse.failed', message: 'Unexpected token } in JSON at position 9' },
      400,
      {
        code: 'BAD_REQUEST',
        message: 'Request body is not valid JSON',
        details: [{ field: 'body', reason: 'is not valid JSON' }],
      },
    ],
    [
      'an oversized body',
      { status: 413, type: 'entity.too.large', message: 'request entity too large' },
      413,
      { code: 'PAYLOAD_TOO_LARGE', message: 'request entity too large' },
    ],
  ])('answers a body-parser error for %s in the same shape', (_case, error, status, expected) => {
    expect(answer(error)).toEqual({ status, body: { success: false, error: { details: [], ...expected } } });
  });

  it('hides the details of an unexpected failure behind a 500 but logs them', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const res = answer(new Error('db password is hunter2'));
    expect(res).toMatchObject({ status: 500, body: { success: false, error: { code: 'INTERNAL' } } });
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
    expect(String(logged.mock.calls[0]?.[0])).toContain('hunter2');
  });
});
