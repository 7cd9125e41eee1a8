import 'reflect-metadata';
import { DECORATORS } from '@nestjs/swagger';
import * as responses from './index';

const classes = Object.entries(responses).filter(
  (entry): entry is [string, new () => object] => typeof entry[1] === 'function',
);

/** The properties @ApiProperty documents of a class (its own and inherited ones). */
function documented(cls: new () => object): string[] {
  const names = (Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, cls.prototype) ?? []) as string[];
  return names.map((n) => n.replace(/^:/, '')).sort();
}

// A field an answer class declares but does not decorate would be answered yet missing from
// docs/openapi.json (and from the clients generated from it).
describe('the response DTO classes', () => {
  it('are all found', () => {
    expect(classes.map(([name]) => name)).toEqual(
      expect.arrayContaining(['SubmitAccepted', 'JobStatusView', 'HealthReport']),
    );
  });

  it.each(classes)('%s documents every field it declares', (_name, cls) => {
    // Class fields are defined on instances (ES2022 class fields), decorated or not.
    expect(documented(cls)).toEqual(Object.keys(new cls()).sort());
  });
});
