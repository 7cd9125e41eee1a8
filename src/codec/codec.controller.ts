import { SkipThrottle } from '@nestjs/throttler';
import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { Public } from '../auth/public.decorator';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { EncryptionCodec } from '../crypto/encryption-codec';
import { DomainError } from '../domain/domain-error';
import { CodecAuthGuard } from './codec-auth.guard';
import { parseCodecBody, toCodecBody, type CodecBody } from './codec-json';

/**
 * Temporal's codec server protocol over the engine's payload codec, so that the Web UI (and
 * `temporal --codec-endpoint`) show decrypted payloads to those allowed to see them.
 */
// The Web UI decodes many payloads per page, Prometheus scrapes on a timer: no per-caller limit.
@SkipThrottle()
@Controller('api/v1/codec')
@Public() // authentication is CodecAuthGuard's, which CODEC_AUTH configures
@UseGuards(CodecAuthGuard)
export class CodecController {
  private readonly codec: EncryptionCodec;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.codec = new EncryptionCodec(config.encryptionKeys);
  }

  @Post('encode')
  @HttpCode(200)
  async encode(@Body() body: unknown): Promise<CodecBody> {
    return toCodecBody(await this.codec.encode(payloadsOf(body)));
  }

  @Post('decode')
  @HttpCode(200)
  async decode(@Body() body: unknown): Promise<CodecBody> {
    try {
      return toCodecBody(await this.codec.decode(payloadsOf(body)));
    } catch (err) {
      if (err instanceof DomainError) throw err;
      // Sealed with another key, or tampered with: say so, never pass on garbage.
      throw new DomainError('VALIDATION_FAILED', 'A payload could not be decrypted with this engine key', [
        { field: 'payloads', reason: 'could not be decrypted with this engine key' },
      ]);
    }
  }
}

function payloadsOf(body: unknown) {
  const payloads = parseCodecBody(body);
  if (!payloads) {
    throw new DomainError('VALIDATION_FAILED', 'Invalid codec request', [
      { field: 'payloads', reason: 'must be an array of {metadata: {key: base64}, data: base64}' },
    ]);
  }
  return payloads;
}
