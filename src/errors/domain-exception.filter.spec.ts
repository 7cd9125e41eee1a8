import { Logger, NotFoundException, type ArgumentsHost } from '@nestjs/common';
import { DomainError } from '../domain/domain-error';
import { DomainExceptionFilter } from './domain-exception.filter';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
type Body = any;

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
  beforeAll(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));

  it('answers a validation failure with 400 and each field', () => {
    const res = answer(new DomainError('VALIDATION_FAILED', 'Invalid request: x', [{ field: 'x', reason: 'bad' }]));
    expect(res).toEqual({
      status: 400,
      body: {
        success: false,
        error: { code: 'VALIDATION_FAILED', message: 'Invalid request: x', details: [{ field: 'x', reason: 'bad' }] },
      },
    });
  });

  it.each([
    ['JOB_NOT_FOUND', 404],
    ['ENVIRONMENT_ALREADY_ACTIVE', 409],
    ['UNAUTHENTICATED', 401],
    ['DEPENDENCY_UNAVAILABLE', 503],
  ] as const)('maps %s to %i', (code, status) => {
    expect(answer(new DomainError(code, 'x')).status).toBe(status);
  });

  it('adds the error context, such as the live job id of a conflict', () => {
    const res = answer(new DomainError('ENVIRONMENT_ALREADY_ACTIVE', 'live', [], { job_id: 'j-1' }));
    expect(res.body.error.job_id).toBe('j-1');
  });

  it('answers framework and body-parser errors in the same shape', () => {
    expect(answer(new NotFoundException()).body.error.code).toBe('NOT_FOUND');
    const json = answer({ status: 400, type: 'entity.parse.failed', message: 'Unexpected token' });
    expect(json).toMatchObject({
      status: 400,
      body: { error: { code: 'BAD_REQUEST', message: 'Request body is not valid JSON' } },
    });
    expect(answer({ status: 413, type: 'entity.too.large', message: 'too large' }).body.error.code).toBe(
      'PAYLOAD_TOO_LARGE',
    );
  });

  it('hides the details of an unexpected failure', () => {
    const res = answer(new Error('db password is hunter2'));
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
  });
});
