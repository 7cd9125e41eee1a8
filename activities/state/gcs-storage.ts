import { Storage } from '@google-cloud/storage';

/**
 * A GCS client: Application Default Credentials on Google Cloud (Workload Identity on GKE), or
 * an emulator (fake-gcs-server) without credentials.
 */
export function gcsStorage(emulatorEndpoint?: string): Storage {
  return emulatorEndpoint
    ? new Storage({
        apiEndpoint: emulatorEndpoint.replace(/\/+$/, ''),
        projectId: 'emulator',
        useAuthWithCustomEndpoint: false,
      })
    : new Storage();
}
