import { changedAttributes, driftedResources } from './drift-report';
import { parseTofuLine, type TofuJsonMessage } from './tofu-json-messages';

// Lines as `tofu plan -refresh-only -json` streams them, and `tofu show -json` of its saved plan.
const lines = [
  '{"@level":"info","@message":"OpenTofu 1.12.0","@module":"tofu.ui","type":"version","tofu":"1.12.0","ui":"1.2"}',
  '{"@level":"info","@message":"module.poc.localcloud_cluster.this: Refreshing state... [id=poc-acme-gke]","type":"refresh_start","hook":{"resource":{"addr":"module.poc.localcloud_cluster.this"}}}',
  '{"@level":"info","@message":"module.poc.localcloud_cluster.this: Drift detected (update)","type":"resource_drift","change":{"resource":{"addr":"module.poc.localcloud_cluster.this","resource_type":"localcloud_cluster"},"action":"update"}}',
  '{"@level":"info","@message":"module.poc.localcloud_network.this: Drift detected (delete)","type":"resource_drift","change":{"resource":{"addr":"module.poc.localcloud_network.this"},"action":"delete"}}',
  '{"@level":"info","@message":"Plan: 0 to add, 0 to change, 0 to destroy.","type":"change_summary","changes":{"add":0,"change":0,"remove":0,"operation":"plan"}}',
];
const messages = lines.map(parseTofuLine).filter((m): m is TofuJsonMessage => m !== null);

const shown = {
  format_version: '1.2',
  resource_drift: [
    {
      address: 'module.poc.localcloud_cluster.this',
      type: 'localcloud_cluster',
      change: {
        actions: ['update'],
        before: { name: 'poc-acme-gke', node_count: 1, labels: { tenant: 'acme' }, master_password: 's3cret' },
        after: {
          name: 'poc-acme-gke',
          node_count: 5,
          labels: { tenant: 'acme', team: 'x' },
          master_password: 's3cret',
        },
      },
    },
    {
      address: 'module.poc.localcloud_network.this',
      change: { actions: ['delete'], before: { name: 'poc-acme-vpc' }, after: null },
    },
  ],
};

describe('drift in tofu -json output', () => {
  it('names each drifted resource, its action and the attributes that changed, sorted by address', () => {
    expect(driftedResources(messages, shown)).toEqual([
      { address: 'module.poc.localcloud_cluster.this', action: 'update', attributes: ['labels', 'node_count'] },
      { address: 'module.poc.localcloud_network.this', action: 'delete', attributes: [] },
    ]);
  });

  it('never carries an attribute value', () => {
    const text = JSON.stringify(driftedResources(messages, shown));
    for (const value of ['s3cret', 'poc-acme-gke', 'poc-acme-vpc', '"x"', '5']) expect(text).not.toContain(value);
  });

  it('names resources from the streamed messages alone when the plan could not be shown', () => {
    expect(driftedResources(messages, null)).toEqual([
      { address: 'module.poc.localcloud_cluster.this', action: 'update', attributes: [] },
      { address: 'module.poc.localcloud_network.this', action: 'delete', attributes: [] },
    ]);
  });

  it('finds no drift in a refresh that changed nothing', () => {
    expect(
      driftedResources(
        messages.filter((m) => m.type !== 'resource_drift'),
        { resource_drift: [] },
      ),
    ).toEqual([]);
    expect(driftedResources([], { format_version: '1.2' })).toEqual([]);
  });

  it('compares attributes by value and counts an added or removed one', () => {
    expect(changedAttributes({ a: { x: 1, y: 2 }, b: 1 }, { a: { x: 1, y: 2 }, b: 1 })).toEqual([]);
    expect(changedAttributes({ a: 1 }, { a: 1, b: 2 })).toEqual(['b']);
    expect(changedAttributes({ a: 1, c: null }, { a: 2 })).toEqual(['a']);
  });
});
