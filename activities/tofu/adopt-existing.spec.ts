import { existingResources } from './adopt-existing';

describe('existingResources', () => {
  it('finds the address and the import id of a Google create that met an existing object', () => {
    expect(
      existingResources([
        {
          severity: 'error',
          summary:
            "Error creating Network: googleapi: Error 409: The resource 'projects/acme-poc/global/networks/poc-acme-3f0c9a52-vpc' already exists, alreadyExists",
          address: 'module.poc.google_compute_network.vpc',
        },
      ]),
    ).toEqual([
      {
        address: 'module.poc.google_compute_network.vpc',
        importId: 'projects/acme-poc/global/networks/poc-acme-3f0c9a52-vpc',
      },
    ]);
  });

  it('ignores failures that are not conflicts, and conflicts that name no object or no address', () => {
    expect(
      existingResources([
        {
          severity: 'error',
          summary: 'Error creating Network: googleapi: Error 403: Permission denied',
          address: 'a.b',
        },
        {
          severity: 'error',
          summary: 'local-exec provisioner error',
          detail: 'resource already exists and belongs to another tenant',
          address: 'x.y',
        },
        { severity: 'error', summary: "Error 409: 'projects/p/global/networks/n' already exists" },
      ]),
    ).toEqual([]);
  });
});
