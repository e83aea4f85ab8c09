/** Where a checkout keeps its git-ignored working files (`.data/`, `.tools/`): below the repository root. */
import path from 'node:path';

/** The repository root: one level above this file in both the `src/` and the `dist/` layout. */
export function projectRoot(): string {
  return path.resolve(__dirname, '..');
}
