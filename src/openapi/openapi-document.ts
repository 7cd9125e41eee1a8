import packageJson from '../../package.json';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';

/**
 * The API's OpenAPI document. Request schemas are generated from the DTOs' class-validator
 * rules (one source of truth: what is documented is what is validated); answers from the
 * response DTO classes in ./responses, which the controllers' @ApiResponse name and the view
 * functions return (so what is documented is what the code can answer).
 */
export function buildOpenApiDocument(app: INestApplication, version: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('POC Provisioning Engine')
    .setDescription('Provisions per-tenant proof-of-concept environments and destroys them when they expire.')
    .setVersion(version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key or service JWT' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'apiKey')
    .addSecurityRequirements('bearer')
    .addSecurityRequirements('apiKey')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  const dtoSchemas = validationMetadatasToSchemas({
    refPointerPrefix: '#/components/schemas/',
    classTransformerMetadataStorage: defaultMetadataStorage,
    additionalConverters: {
      // Our own validators: say in words what they check.
      customValidation: (meta) =>
        meta.name === 'isInstant'
          ? { format: 'date-time', description: `an RFC 3339 instant with an offset (Z or ±hh:mm)` }
          : {
              description:
                meta.name === 'isFutureInstant'
                  ? `an instant at least ${String(meta.constraints?.[0] ?? 0)} s in the future`
                  : String(meta.name ?? 'custom rule'),
            },
    },
  });
  document.components = {
    ...document.components,
    schemas: sortedByName({ ...document.components?.schemas, ...(dtoSchemas as Record<string, object>) }),
  };
  return document;
}

/** The API's version in the document: the package's. */
export const API_VERSION: string = packageJson.version;

/** Schemas in name order, so that the committed document does not change with registration order. */
function sortedByName<T>(schemas: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
}
