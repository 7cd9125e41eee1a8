import { Module } from '@nestjs/common';
import { CodecAuthGuard } from './codec-auth.guard';
import { CodecController } from './codec.controller';

/** The codec server endpoints (POST /api/v1/codec/encode and /decode). */
@Module({ controllers: [CodecController], providers: [CodecAuthGuard] })
export class CodecModule {}
