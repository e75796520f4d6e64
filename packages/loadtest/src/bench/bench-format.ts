// How the bench report writes its figures: sizes in KB, ratios, rates, counts and a run's verdict.
import type { LoadResult } from '../run-load';

export const kb = (bytes: number): string => (Number.isFinite(bytes) ? (bytes / 1024).toFixed(2) : 'n/a');
export const ratio = (a: number, b: number): string => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? (a / b).toFixed(2) : 'n/a');
export const perSec = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
export const count = (n: number): string => n.toLocaleString('en-US');
export const verdictOf = (r: LoadResult): string => `lost ${r.verdict.lost}, dup ${r.verdict.duplicated}, reordered ${r.verdict.reordered}`;
