// @parley/loadtest: the load tester (run it with `npm run load -- ...` or `parley-load`).
export * from './options';
export * from './plan';
export * from './verdict';
export * from './latency';
export * from './payload';
export * from './fd-limit';
export * from './storm';
export * from './load-link';
export * from './link-assignment';
export { runLoad, LoadResult, RunHooks } from './run-load';
export { formatReport } from './report';
