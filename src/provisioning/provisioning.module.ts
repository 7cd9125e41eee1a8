import { Module } from '@nestjs/common';
import { ProvisioningController } from './provisioning.controller';
import { JobControlService } from './job-control.service';
import { ProvisioningService } from './provisioning.service';
import { WorkflowStartLoop } from './workflow-start-loop';

@Module({
  controllers: [ProvisioningController],
  providers: [ProvisioningService, JobControlService, WorkflowStartLoop],
})
export class ProvisioningModule {}
