/**
 * The metric names a PromQL expression reads, and the metric families a Prometheus text scrape
 * holds: enough of both to check that a dashboard or a rule only uses metrics the worker exports.
 */

/** PromQL's functions, aggregations, keywords and binary-operator words: never metric names. */
const PROMQL_WORDS = new Set([
  'abs',
  'absent',
  'absent_over_time',
  'avg_over_time',
  'ceil',
  'changes',
  'clamp',
  'clamp_max',
  'clamp_min',
  'count_over_time',
  'day_of_month',
  'day_of_week',
  'day_of_year',
  'days_in_month',
  'delta',
  'deriv',
  'exp',
  'floor',
  'histogram_avg',
  'histogram_count',
  'histogram_fraction',
  'histogram_quantile',
  'histogram_sum',
  'holt_winters',
  'hour',
  'idelta',
  'increase',
  'irate',
  'label_join',
  'label_replace',
  'last_over_time',
  'ln',
  'log10',
  'log2',
  'max_over_time',
  'min_over_time',
  'minute',
  'month',
  'predict_linear',
  'present_over_time',
  'quantile_over_time',
  'rate',
  'resets',
  'round',
  'scalar',
  'sgn',
  'sort',
  'sort_desc',
  'sqrt',
  'stddev_over_time',
  'stdvar_over_time',
  'sum_over_time',
  'time',
  'timestamp',
  'vector',
  'year',
  'sum',
  'avg',
  'min',
  'max',
  'count',
  'count_values',
  'group',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'quantile',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'and',
  'or',
  'unless',
  'atan2',
  'inf',
  'nan',
]);

/**
 * Metric names used in `expr`. Drops string literals (label values, Grafana's `$variables` inside
 * them), label matchers inside `{…}`, grouping lists after by/without/on/ignoring/group_*, range
 * and offset durations inside `[…]`, numbers, and every PromQL word.
 */
export function promqlMetricNames(expr: string): string[] {
  const text = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\[[^\]]*\]/g, '[]')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '$1()')
    .replace(/\$\{?\w+\}?/g, ' ');
  const names = new Set<string>();
  for (const match of text.matchAll(/(?<![\w.])([a-zA-Z_:][\w:]*)(?![\w.])/g)) {
    const name = match[1]!;
    if (PROMQL_WORDS.has(name.toLowerCase())) continue;
    // A duration such as `5m` outside brackets (after `offset`) starts with a digit: never matched.
    names.add(name);
  }
  return [...names].sort();
}

/** The metric families of a Prometheus text scrape, with `_bucket`, `_sum` and `_count` stripped. */
export function scrapedMetricNames(scrape: string): Set<string> {
  const names = new Set<string>();
  for (const line of scrape.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{|\s)/.exec(line);
    if (!match) continue;
    names.add(match[1]!);
    names.add(match[1]!.replace(/_(bucket|sum|count)$/, ''));
  }
  return names;
}
