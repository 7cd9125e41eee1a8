import { Module } from '@nestjs/common';
import { ProvisioningController } from './provisioning.controller';
import { JobControlService } from './job-control.service';
import { ProvisioningService } from './provisioning.service';

@Module({
  controllers: [ProvisioningController],
  providers: [ProvisioningService, JobControlService],
})
export class ProvisioningModule {}
