// The Grafana dashboard shipped in deploy/grafana/: its panels' PromQL, and the same queries
// with Grafana's variables replaced so a plain Prometheus can run them.
import { readFileSync } from 'node:fs';
import { repoPath } from './repo';

export const DASHBOARD_FILE = 'deploy/grafana/parley-dashboard.json';

export interface DashboardPanel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly description?: string;
  readonly datasource?: { readonly type: string; readonly uid: string };
  readonly targets?: ReadonlyArray<{ readonly refId: string; readonly expr: string; readonly datasource?: { readonly uid: string } }>;
}

export interface Dashboard {
  readonly title: string;
  readonly uid: string;
  readonly panels: readonly DashboardPanel[];
  readonly templating: { readonly list: ReadonlyArray<{ readonly name: string; readonly type: string; readonly allValue?: string }> };
}

export function loadDashboard(file: string = repoPath(DASHBOARD_FILE)): Dashboard {
  return JSON.parse(readFileSync(file, 'utf8')) as Dashboard;
}

export interface PanelQuery {
  readonly panel: string;
  readonly refId: string;
  readonly expr: string;
}

/** Every query of every panel (rows hold none). */
export function dashboardQueries(dashboard: Dashboard): PanelQuery[] {
  return dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, refId: target.refId, expr: target.expr })));
}

/** Grafana's built-in variables the queries may use. */
export const GRAFANA_BUILTINS = ['__rate_interval', '__interval', '__range'];

/** The variables an expression uses ($name or ${name}). */
export function variablesIn(expr: string): string[] {
  return [...new Set([...expr.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g)].map((m) => m[1]!))];
}

/**
 * The expression with its variables replaced: the dashboard's "All" value for its own query
 * variables (e.g. namespace=~".*"), and the given values for Grafana's built-ins.
 */
export function withVariables(expr: string, dashboard: Dashboard, builtins: Record<string, string> = { __rate_interval: '1m', __interval: '15s', __range: '1h' }): string {
  const values: Record<string, string> = { ...builtins };
  for (const variable of dashboard.templating.list) if (variable.allValue !== undefined) values[variable.name] = variable.allValue;
  return expr.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (whole, name: string) => values[name] ?? whole);
}
