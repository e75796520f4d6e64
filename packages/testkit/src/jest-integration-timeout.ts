// Jest setup file of the integration project: real brokers and processes need more
// than jest's default 5 s per test; waits inside tests still have their own deadlines.
jest.setTimeout(120_000);
