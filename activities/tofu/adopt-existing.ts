import { DomainError } from '../../src/domain/domain-error';
import { LOCK_TIMEOUT_ARG, type TofuContext } from './tofu-context';
import type { TofuDiagnostic } from './tofu-json-messages';
import { runTofuVerb } from './run-tofu-verb';
import { tofuApply } from './tofu-apply';
import { tofuPlan } from './tofu-plan';

/** Rounds of adopt-then-apply-again in one apply: each adopts every conflict the last one met. */
const MAX_ADOPTION_ROUNDS = 3;

/** A resource a create found existing: its address in the configuration and its cloud id. */
export interface ExistingResource {
  address: string;
  /** What `tofu import` takes: the object's path as the API named it (`projects/p/global/networks/n`). */
  importId: string;
}

/** Google's answer to a create of a name that is taken. */
const ALREADY_EXISTS = /alreadyExists|already exists/i;
/** The object's path in Google's message: `The resource 'projects/p/global/networks/n' already exists`. */
const RESOURCE_PATH = /(projects\/[A-Za-z0-9._\-/]+)/;

/**
 * The resources an apply failed to create because they already exist, with the id to import
 * them by; only diagnostics that name both an address and the object's path count (anything
 * else cannot be adopted and stays a failure).
 */
export function existingResources(diagnostics: Array<Partial<TofuDiagnostic>>): ExistingResource[] {
  const found: ExistingResource[] = [];
  for (const d of diagnostics) {
    const text = `${d.summary ?? ''} ${d.detail ?? ''}`;
    if (!d.address || !ALREADY_EXISTS.test(text)) continue;
    const path = RESOURCE_PATH.exec(text)?.[1].replace(/[/.]+$/, '');
    if (path && !found.some((f) => f.address === d.address)) found.push({ address: d.address, importId: path });
  }
  return found;
}

/**
 * Adopts resources a create found existing (production twin of the local stack's adoption, ADR
 * 16): names are deterministic per tenant, so an object under this tenant's name was made by an
 * earlier apply that could not record it. `tofu import` takes it into the tenant's state; if
 * the imported object does not carry the tenant's id (its labels or description), it is
 * dropped from state again (`tofu state rm`, the object untouched) and the failure is
 * RESOURCE_OWNED_BY_ANOTHER_TENANT.
 */
export async function adoptExisting(ctx: TofuContext, tenantId: string, resources: ExistingResource[]): Promise<void> {
  for (const r of resources) {
    await runTofuVerb(ctx, 'import', ['-input=false', '-no-color', LOCK_TIMEOUT_ARG, r.address, r.importId]);
    const { stdout } = await runTofuVerb(ctx, 'state', ['show', '-no-color', r.address]);
    if (!stdout.toLowerCase().includes(tenantId.toLowerCase())) {
      await runTofuVerb(ctx, 'state', ['rm', LOCK_TIMEOUT_ARG, r.address]);
      throw new DomainError(
        'RESOURCE_OWNED_BY_ANOTHER_TENANT',
        `${r.address} already exists and belongs to another tenant; it was not adopted`,
        [],
        { address: r.address },
      );
    }
  }
}

/**
 * `tofu apply` of the saved plan; a create that meets an object of this tenant under its
 * deterministic name adopts it, plans again and applies what is still missing.
 */
export async function applyAdopting(
  ctx: TofuContext,
  tenantId: string,
  onAdopt: (addresses: string[]) => void,
): Promise<{ applied: number }> {
  for (let round = 0; ; round += 1) {
    try {
      return await tofuApply(ctx);
    } catch (err) {
      const diagnostics = err instanceof DomainError ? (err.context.diagnostics as Array<Partial<TofuDiagnostic>>) : [];
      const existing = existingResources(diagnostics ?? []);
      if (existing.length === 0 || round >= MAX_ADOPTION_ROUNDS) throw err;
      onAdopt(existing.map((r) => r.address));
      await adoptExisting(ctx, tenantId, existing);
      await tofuPlan(ctx);
    }
  }
}
