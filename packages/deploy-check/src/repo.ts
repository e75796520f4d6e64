// Paths inside the repository, from this package's src/ or dist/ alike.
import { resolve } from 'node:path';

/** The repository's root directory. */
export const repoRoot = resolve(__dirname, '..', '..', '..');

/** A path inside the repository. */
export function repoPath(...parts: string[]): string {
  return resolve(repoRoot, ...parts);
}
