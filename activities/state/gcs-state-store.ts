import type { Storage } from '@google-cloud/storage';
import { gcsStatePrefix } from './state-backend';
import { trackedResourcesIfReadable } from './state-contents';

/** Tenants' OpenTofu state in a GCS bucket (gcs backend, one prefix per tenant). */
export class GcsStateStore {
  constructor(
    private readonly storage: Storage,
    private readonly bucket: string,
    private readonly prefix: string,
    /** Opens state tofu encrypted with the engine's keys (statePassphrases). */
    private readonly passphrases: readonly string[] = [],
  ) {}

  /** Deletes the tenant's state and lock objects. Only after a successful destroy. */
  async remove(tenantId: string): Promise<void> {
    await this.storage
      .bucket(this.bucket)
      .deleteFiles({ prefix: `${gcsStatePrefix(this.prefix, tenantId)}/`, force: true });
  }

  /** Every tenant that has state, with how many resources its state tracks. */
  async list(): Promise<Array<{ tenantId: string; resources: number | null }>> {
    const root = `${this.prefix.replace(/\/+$/, '')}/`;
    const [files] = await this.storage.bucket(this.bucket).getFiles({ prefix: root });
    const states = files.filter((f) => f.name.endsWith('.tfstate'));
    return Promise.all(
      states.map(async (f) => {
        const [body] = await f.download();
        const resources = await trackedResourcesIfReadable(body.toString('utf8'), this.passphrases);
        return { tenantId: f.name.slice(root.length).split('/')[0], resources };
      }),
    );
  }
}
