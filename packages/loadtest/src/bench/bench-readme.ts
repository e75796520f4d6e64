// The README's benchmark block: the latest full run's report between its markers, headings
// demoted under the README's own, with a link to the result file.
import { readFileSync, writeFileSync } from 'node:fs';

export const README_START = '<!-- bench:latest:start -->';
export const README_END = '<!-- bench:latest:end -->';

/** Puts the table between the README's bench markers (headings demoted under "Figures"). */
export function updateReadme(readmePath: string, markdown: string, resultFile: string): boolean {
  const readme = readFileSync(readmePath, 'utf8');
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) return false;
  const body = markdown
    .split('\n')
    .filter((line, i) => !(i === 0 && line.startsWith('# ')))
    .map((line) => (line.startsWith('## ') ? `#### ${line.slice(3)}` : line))
    .join('\n')
    .trim();
  const block = `${README_START}\n_From [${resultFile}](${resultFile})._\n\n${body}\n${README_END}`;
  writeFileSync(readmePath, readme.slice(0, start) + block + readme.slice(end + README_END.length));
  return true;
}
