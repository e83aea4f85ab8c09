/** Formats the location of a value in the targets file for problem messages, e.g. `targets.vc-lab-01.url`. */

/** A path such as `targets.vc-lab-01.timeouts.connectMs`; names with other characters are quoted (`targets["a b"]`). */
export function formatConfigPath(segments: readonly PropertyKey[]): string {
  if (segments.length === 0) return '(root)';
  let text = '';
  for (const segment of segments) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z0-9_-]+$/.test(segment))
      text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text;
}
