/**
 * The README's answer notation, `# → <HTTP status> <JSON>`, as a matcher. The JSON may hold `…`:
 * as a value (any value), as the last member of an object or the last element of an array (more
 * members or elements may follow), or inside a string (any text there). Without a trailing `…`
 * an object must have exactly the members shown and an array exactly the elements shown.
 */
export interface AnswerPattern {
  status: number;
  body: unknown;
}

const ANY = '\u0000any';
const ELLIPSIS = '…';

/** Parses `# → 202 {...}` (the text after the arrow). */
export function parseAnswerPattern(text: string): AnswerPattern {
  const m = /^(\d{3})\s+([\s\S]+)$/.exec(text.trim());
  if (!m) throw new Error(`not "<status> <json>": ${text}`);
  return { status: Number(m[1]), body: JSON.parse(toJson(m[2])) };
}

/** Replaces each bare `…` by a marker: a member `"<ANY>":"<ANY>"` in objects, a value elsewhere. */
function toJson(pattern: string): string {
  let out = '';
  let inString = false;
  const containers: string[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (inString) {
      out += c;
      if (c === '\\') out += pattern[++i];
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') containers.push(c);
    else if (c === '}' || c === ']') containers.pop();
    if (c !== ELLIPSIS) {
      out += c;
      continue;
    }
    const before = out.trimEnd().at(-1);
    const member = containers.at(-1) === '{' && (before === '{' || before === ',');
    const marker = JSON.stringify(ANY);
    out += member ? `${marker}:${marker}` : marker;
  }
  return out;
}

/** Where `actual` differs from the pattern, as `path: reason` lines; empty when it matches. */
export function mismatches(pattern: unknown, actual: unknown, path = '$'): string[] {
  if (pattern === ANY) return [];
  if (typeof pattern === 'string') {
    if (typeof actual !== 'string') return [`${path}: expected a string, got ${JSON.stringify(actual)}`];
    const re = new RegExp(`^${pattern.split(ELLIPSIS).map(escapeRegExp).join('[\\s\\S]*')}$`);
    return re.test(actual) ? [] : [`${path}: expected ${JSON.stringify(pattern)}, got ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(pattern)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${JSON.stringify(actual)}`];
    const open = pattern.at(-1) === ANY;
    const shown = open ? pattern.slice(0, -1) : pattern;
    if (open ? actual.length < shown.length : actual.length !== shown.length) {
      return [`${path}: expected ${open ? 'at least ' : ''}${shown.length} elements, got ${actual.length}`];
    }
    return shown.flatMap((p, i) => mismatches(p, actual[i], `${path}[${i}]`));
  }
  if (pattern !== null && typeof pattern === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
    }
    const shown = Object.entries(pattern).filter(([k]) => k !== ANY);
    const open = ANY in pattern;
    const extra = open ? [] : Object.keys(actual).filter((k) => !(k in pattern));
    return [
      ...shown.flatMap(([k, p]) =>
        k in actual ? mismatches(p, (actual as Record<string, unknown>)[k], `${path}.${k}`) : [`${path}.${k}: missing`],
      ),
      ...extra.map((k) => `${path}.${k}: not shown in the README`),
    ];
  }
  return Object.is(pattern, actual)
    ? []
    : [`${path}: expected ${JSON.stringify(pattern)}, got ${JSON.stringify(actual)}`];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One `curl` example of a README block and the answer shown under it. */
export interface CurlExample {
  command: string;
  expected: string;
}

/**
 * The commands of a shell block, each a logical line: continued lines (trailing `\`) and
 * multi-line single-quoted arguments are joined to their command.
 */
export function logicalLines(block: string): string[] {
  const lines: string[] = [];
  let current = '';
  for (const line of block.split('\n')) {
    current = current ? `${current}\n${line}` : line;
    const openQuote = (current.match(/'/g)?.length ?? 0) % 2 === 1 && !current.trimStart().startsWith('#');
    if (!openQuote && !line.endsWith('\\')) {
      lines.push(current);
      current = '';
    }
  }
  if (current) lines.push(current);
  return lines;
}

/** Every `curl` command of a block (a command of its own, not inside a loop or pipeline) with its `# →` line. */
export function curlExamples(block: string): CurlExample[] {
  const lines = logicalLines(block).filter((l) => l.trim() !== '');
  const examples: CurlExample[] = [];
  lines.forEach((line, i) => {
    if (!line.startsWith('curl ')) return;
    const next = lines[i + 1] ?? '';
    if (!next.startsWith('# → ')) throw new Error(`README example without a "# →" answer line:\n${line}`);
    examples.push({ command: line, expected: next.slice('# → '.length) });
  });
  return examples;
}

/** The fenced ```sh blocks of a Markdown text that run curl. */
export function curlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]).filter((b) => /^curl /m.test(b));
}
