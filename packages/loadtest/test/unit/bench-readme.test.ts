// `npm run bench` puts its latest table into the README between two markers, and nowhere else.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { updateReadme } from '../../src/bench/bench-readme';

describe('updateReadme', () => {
  it('replaces only the marked block, demoting the headings', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'readme-')), 'README.md');
    writeFileSync(file, 'intro\n<!-- bench:latest:start -->\nold\n<!-- bench:latest:end -->\noutro\n');
    expect(updateReadme(file, '# title\n\n## Idle\n\n| a |\n```\n# a shell comment\n```', 'bench/results/x.md')).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(text).toBe(
      'intro\n<!-- bench:latest:start -->\n_From [bench/results/x.md](bench/results/x.md)._\n\n#### Idle\n\n| a |\n```\n# a shell comment\n```\n<!-- bench:latest:end -->\noutro\n',
    );
  });

  it('leaves a README without markers alone', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'readme-')), 'README.md');
    writeFileSync(file, 'no markers\n');
    expect(updateReadme(file, '# t', 'r.md')).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('no markers\n');
  });
});
