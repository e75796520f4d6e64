// Owns the markdown tables of the reports (bench results, CPU costs, profile summaries): a
// header, the alignment row and one line per row, each cell escaped so it stays in its column.

/** A column: its title, and whether its cells line up left (text) or right (figures). */
export interface Column {
  readonly title: string;
  readonly align: 'left' | 'right';
}

export const textColumn = (title: string): Column => ({ title, align: 'left' });
export const figureColumn = (title: string): Column => ({ title, align: 'right' });

/** A `|` would end the cell early and a line break the row: escaped and folded. */
const cellText = (cell: string): string => cell.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;

/**
 * The table's lines (no blank line around it). Every row has one cell per column; an empty
 * string is an empty cell. Throws when a row has another number of cells (a shifted column
 * would put figures under the wrong heading without anyone noticing).
 */
export function markdownTable(columns: readonly Column[], rows: ReadonlyArray<readonly string[]>): string[] {
  rows.forEach((row, i) => {
    if (row.length !== columns.length) throw new Error(`markdown table: row ${i} has ${row.length} cells for ${columns.length} columns`);
  });
  return [
    line(columns.map((c) => cellText(c.title))),
    line(columns.map((c) => (c.align === 'right' ? '---:' : '---'))),
    ...rows.map((row) => line(row.map(cellText))),
  ];
}
