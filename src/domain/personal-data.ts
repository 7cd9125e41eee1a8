import type { ProvisionRequest } from './provision-request';

/**
 * The request's personal fields (docs/api.md "Request fields": personal data, and the company
 * name, which names a person for a sole trader). They never rest in clear: the read model keeps
 * them sealed apart from the request (`personal_data`) and purges them after the environment is
 * gone plus PERSONAL_DATA_RETENTION_DAYS (ADR 20).
 */
export const PERSONAL_FIELDS = ['company_name', 'contact_email', 'contact_name'] as const;

export type PersonalField = (typeof PERSONAL_FIELDS)[number];

/** The personal fields of one request, as sent (absent ones left out). */
export type PersonalData = Partial<Record<PersonalField, string>>;

/** What a request's company_name reads after its personal data was purged (or never kept). */
export const REDACTED = '[redacted]';

/** The request without its personal fields (what the read model keeps in clear), and those fields. */
export function splitPersonalData(request: ProvisionRequest): {
  request: ProvisionRequest;
  personal: PersonalData;
} {
  const companyInfo: Record<string, unknown> = { ...request.company_info };
  const personal: PersonalData = {};
  for (const field of PERSONAL_FIELDS) {
    const value = companyInfo[field];
    if (typeof value === 'string') personal[field] = value;
    delete companyInfo[field];
  }
  return {
    request: { ...request, company_info: companyInfo as unknown as ProvisionRequest['company_info'] },
    personal,
  };
}

/**
 * The request with its personal fields put back; with none (purged, or never kept), the
 * required company_name reads REDACTED and the optional fields stay absent.
 */
export function joinPersonalData(stored: ProvisionRequest, personal: PersonalData | null): ProvisionRequest {
  const companyInfo = { ...stored.company_info, company_name: REDACTED, ...(personal ?? {}) };
  return { ...stored, company_info: companyInfo };
}

/** Whether a value holds any personal field in clear (a request or its company_info). */
export function holdsPersonalFields(companyInfo: Record<string, unknown> | undefined | null): boolean {
  return !!companyInfo && PERSONAL_FIELDS.some((f) => f in companyInfo);
}
