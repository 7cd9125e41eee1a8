import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { AuthenticatedRequest } from './principal.decorator';

/** Rate limits per caller (API key id or JWT subject), not per IP: callers share egress IPs. */
@Injectable()
export class PerCallerThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const r = req as unknown as AuthenticatedRequest;
    return Promise.resolve(r.principal?.id ?? `ip:${r.ip ?? 'unknown'}`);
  }
}
