// The metric names a PromQL expression reads, found without a full PromQL parser: strings,
// label matchers, ranges, grouping clauses and dashboard variables are removed first, then every
// identifier that is not a function call, a keyword or part of a number is a metric name.

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'inf',
  'nan',
]);

export function metricNames(expr: string): string[] {
  // Grafana's label_values(<selector>, <label>): only the selector names a metric.
  const query = expr.replace(/label_values\(\s*([^,)]*)(?:,[^)]*)?\)/g, '($1)');
  const stripped = query
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\{[^}]*\}|\$\w+/g, ' ');
  const names = new Set<string>();
  for (const m of stripped.matchAll(/(?<![\w:.])([a-zA-Z_:][\w:]*)(?![\w:])(?!\s*\()/g)) {
    if (!KEYWORDS.has(m[1].toLowerCase())) names.add(m[1]);
  }
  return [...names];
}
