// Optional capability of adapters that hold connections or timers.
export interface Closable {
  close(): Promise<void>;
}

export function isClosable(value: unknown): value is Closable {
  return typeof value === 'object' && value !== null && typeof (value as Closable).close === 'function';
}
