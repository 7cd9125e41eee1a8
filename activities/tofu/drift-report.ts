import type { DriftedResource } from '../../src/domain/drift';
import type { TofuJsonMessage } from './tofu-json-messages';

/** One entry of `resource_drift` in `tofu show -json <plan>` (only the fields read here). */
interface ShownDrift {
  address?: string;
  change?: { actions?: string[]; before?: unknown; after?: unknown };
}

/**
 * The drifted resources of a refresh-only plan, from the `resource_drift` messages its -json
 * output streamed (address and action) and, when given, from `tofu show -json` of the saved
 * plan (the changed attributes' names). Values are compared here and dropped: only attribute
 * names leave this function, never a value (a value may be a secret). Sorted by address.
 */
export function driftedResources(messages: readonly TofuJsonMessage[], shown?: unknown): DriftedResource[] {
  const found = new Map<string, DriftedResource>();
  for (const m of messages) {
    const address = m.change?.resource?.addr;
    if (m.type !== 'resource_drift' || !address) continue;
    found.set(address, { address, action: actionOf(m.change?.action), attributes: [] });
  }
  for (const d of shownDrift(shown)) {
    if (!d.address) continue;
    const action = actionOf(d.change?.actions?.includes('delete') ? 'delete' : 'update');
    found.set(d.address, {
      address: d.address,
      action,
      attributes: action === 'delete' ? [] : changedAttributes(d.change?.before, d.change?.after),
    });
  }
  return [...found.values()].sort((a, b) => a.address.localeCompare(b.address));
}

function actionOf(action: string | undefined): DriftedResource['action'] {
  return action === 'delete' ? 'delete' : 'update';
}

function shownDrift(shown: unknown): ShownDrift[] {
  const drift = (shown as { resource_drift?: unknown } | null | undefined)?.resource_drift;
  return Array.isArray(drift) ? (drift as ShownDrift[]) : [];
}

/** Names of the top-level attributes whose values differ between two objects, sorted. */
export function changedAttributes(before: unknown, after: unknown): string[] {
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  const names = new Set([...Object.keys(b), ...Object.keys(a)]);
  return [...names].filter((k) => JSON.stringify(b[k] ?? null) !== JSON.stringify(a[k] ?? null)).sort();
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
