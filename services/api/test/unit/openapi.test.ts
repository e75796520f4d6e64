// docs/openapi.json describes exactly the routes the server API serves: every route with its
// method, path and status codes, and nothing it does not serve.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROUTES } from '../../src/routes';

interface Operation {
  responses: Record<string, unknown>;
}
const doc = JSON.parse(readFileSync(path.resolve(__dirname, '../../../../docs/openapi.json'), 'utf8')) as {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
};

const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
  Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${p}`, statuses: Object.keys(op.responses).map(Number).sort() })),
);
const implemented = ROUTES.map((r) => ({ key: `${r.method} ${r.path}`, statuses: [...r.statuses].sort() }));

describe('the OpenAPI document', () => {
  it('is OpenAPI 3', () => {
    expect(doc.openapi).toMatch(/^3\./);
  });

  it('documents every implemented route and no other', () => {
    expect(documented.map((d) => d.key).sort()).toEqual(implemented.map((i) => i.key).sort());
  });

  it.each(implemented)('$key: the documented status codes are the ones it answers', ({ key, statuses }) => {
    expect(documented.find((d) => d.key === key)?.statuses).toEqual(statuses);
  });

  it('declares every path parameter the route template names', () => {
    for (const [p, ops] of Object.entries(doc.paths)) {
      const names = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const op of Object.values(ops) as Array<{ parameters?: Array<{ $ref?: string; name?: string; in?: string }> }>) {
        const declared = (op.parameters ?? []).map((param) => param.name ?? param.$ref?.split('/').pop());
        for (const name of names) expect(declared).toContain(name);
      }
    }
  });
});
