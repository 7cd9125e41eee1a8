export * from './error-response.dto';
export * from './health.dto';
export * from './job-list.dto';
export * from './job-status-view.dto';
export * from './submit-accepted.dto';
