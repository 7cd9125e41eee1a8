// The committed generated clients are what the generators make from the committed
// docs/openapi.json: a document changed without `npm run clients` fails here. Offline: the
// generators are openapi-typescript (a devDependency) and the pinned oapi-codegen that
// `npm run tools` builds into .tools/bin (OAPI_CODEGEN may name another copy of that version).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const GENERATED = ['clients/typescript/src/generated/openapi.ts', 'clients/go/pocclient/openapi.gen.go'];

describe('the generated API clients', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'clients-'));
    execFileSync(process.execPath, [join(root, 'scripts', 'clients.mjs'), '--out', out], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it.each(GENERATED)('%s is what `npm run clients` makes from docs/openapi.json', (file) => {
    const committed = readFileSync(join(root, file), 'utf8');
    const regenerated = readFileSync(join(out, file), 'utf8');
    // Not toEqual on 3000-line strings: name the first differing line, and the fix.
    const a = committed.split('\n');
    const b = regenerated.split('\n');
    const line = a.findIndex((l, i) => l !== b[i]);
    expect({
      file,
      firstDifferingLine: line === -1 && a.length === b.length ? null : line + 1,
      fix: 'npm run clients',
    }).toEqual({
      file,
      firstDifferingLine: null,
      fix: 'npm run clients',
    });
  });

  it('are generated from every operation of the document', () => {
    const doc = JSON.parse(readFileSync(join(root, 'docs', 'openapi.json'), 'utf8')) as {
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    const ts = readFileSync(join(root, GENERATED[0]), 'utf8');
    const go = readFileSync(join(root, GENERATED[1]), 'utf8');
    for (const [path, methods] of Object.entries(doc.paths)) {
      expect(ts).toContain(`'${path}': {`);
      for (const { operationId } of Object.values(methods)) {
        expect(go).toContain(`func (c *Client) ${operationId.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase())}(`);
      }
    }
  });
});
