// The bench's progress lines (stderr, so stdout carries only the report) and its one pause.
export const log = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
