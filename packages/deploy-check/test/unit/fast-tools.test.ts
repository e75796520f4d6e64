// The tools of the fast tier: found through the manifest the install script writes, a clear
// message naming that script when they are missing, and the script quiet when all is cached.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fastTools, fastToolsDir, INSTALL_SCRIPT, MissingToolError, repoPath, runTool } from '../../src';

it('names the install script when the tools are not installed', () => {
  const empty = mkdtempSync(join(tmpdir(), 'parley-no-tools-'));
  try {
    expect(() => fastTools({ PARLEY_CACHE_DIR: empty })).toThrow(MissingToolError);
    expect(() => fastTools({ PARLEY_CACHE_DIR: empty })).toThrow(`run \`bash ${INSTALL_SCRIPT}\``);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

it('finds every tool the install script put in the cache', () => {
  const tools = fastTools();
  for (const path of [tools.kustomize, tools.kubeconform, tools.kubernetesSchemas, tools.prometheusOperatorCrds]) expect(path.startsWith(fastToolsDir())).toBe(true);
  expect(runTool(tools.kustomize, ['version']).stdout).toContain('v5.8.2');
  expect(runTool(tools.promtool, ['--version']).stdout + runTool(tools.promtool, ['--version']).stderr).toContain('promtool');
});

it('installs nothing again once everything is cached, printing only where the manifest is', () => {
  const result = runTool('bash', [repoPath(INSTALL_SCRIPT)], { input: '' });
  expect(result).toEqual({ status: 0, stdout: `${join(fastToolsDir(), 'fast-tools.json')}\n`, stderr: '' });
});
