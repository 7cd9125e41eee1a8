import type { Storage } from '@google-cloud/storage';

/** Where run artifacts (plans, tofu logs) of a job are kept. */
export interface ArtifactStore {
  /** Stores one artifact of a job until `retainUntil`; returns its address. */
  put(jobId: string, name: string, body: Buffer | string, retainUntil: Date): Promise<string>;
}

/**
 * Artifacts in a GCS bucket under `jobs/<job_id>/`. Each object's customTime is the end of its
 * retention: a bucket lifecycle rule `daysSinceCustomTime: 0 → Delete` (see docs/operations.md)
 * removes it then, so retention is enforced by GCS even when no engine runs.
 */
export class GcsArtifactStore implements ArtifactStore {
  constructor(
    private readonly storage: Storage,
    private readonly bucket: string,
  ) {}

  async put(jobId: string, name: string, body: Buffer | string, retainUntil: Date): Promise<string> {
    const path = `jobs/${jobId}/${name}`;
    await this.storage
      .bucket(this.bucket)
      .file(path)
      .save(body, {
        resumable: false,
        contentType: name.endsWith('.json') ? 'application/json' : 'text/plain; charset=utf-8',
        metadata: { customTime: retainUntil.toISOString() },
      });
    return `gs://${this.bucket}/${path}`;
  }
}
