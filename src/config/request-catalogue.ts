import { z } from 'zod';
import {
  DEFAULT_CATALOGUE,
  DESCRIPTIVE_VALUE,
  DESCRIPTIVE_VALUE_RULE,
  type DescriptiveCatalogue,
  type DescriptiveField,
} from '../domain/request-vocabulary';

/** The variable that lists the known values of each descriptive request field. */
const VARIABLE_OF = {
  KNOWN_INDUSTRY_VERTICALS: 'company_info.industry_vertical',
  KNOWN_COMPANY_SIZES: 'company_info.company_size',
  KNOWN_SECURITY_CLEARANCES: 'security_config.security_clearance',
  KNOWN_PRODUCT_FEATURES: 'poc_config.enabled_features',
  KNOWN_COMPLIANCE_FRAMEWORKS: 'security_config.compliance_frameworks',
  KNOWN_DATA_CONNECTORS: 'integration_config.allowed_data_connectors',
} as const satisfies Record<string, DescriptiveField>;
type CatalogueVariable = keyof typeof VARIABLE_OF;

/** A comma-separated list of descriptive values; unset keeps the built-in list. */
const knownValues = z
  .string()
  .optional()
  .transform((raw) =>
    raw === undefined
      ? undefined
      : raw
          .split(',')
          .map((v) => v.trim())
          .filter((v) => v.length > 0),
  )
  .refine((values) => values === undefined || values.every((v) => DESCRIPTIVE_VALUE.test(v)), {
    message: `every value ${DESCRIPTIVE_VALUE_RULE}`,
  })
  .describe('comma-separated known values of a descriptive request field (docs/api.md, "Request fields")');

/** The KNOWN_* variables of the configuration schema. */
export const catalogueVariables = Object.fromEntries(
  Object.keys(VARIABLE_OF).map((name) => [name, knownValues]),
) as Record<CatalogueVariable, typeof knownValues>;

/**
 * The catalogue of known descriptive values: each KNOWN_* variable replaces its field's
 * built-in list. Known values change nothing that is built: an unknown one is accepted and
 * logged, so that the catalogue can be completed.
 */
export function catalogueOf(c: Partial<Record<CatalogueVariable, string[]>>): DescriptiveCatalogue {
  const catalogue: DescriptiveCatalogue = { ...DEFAULT_CATALOGUE };
  for (const [name, field] of Object.entries(VARIABLE_OF) as Array<[CatalogueVariable, DescriptiveField]>) {
    catalogue[field] = c[name] ?? DEFAULT_CATALOGUE[field];
  }
  return catalogue;
}
