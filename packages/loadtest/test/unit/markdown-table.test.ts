import { figureColumn, markdownTable, textColumn } from '../../src/markdown-table';

describe('markdownTable', () => {
  it('writes the header, the alignment row (figures right, text left) and one line per row', () => {
    expect(markdownTable([textColumn('server'), figureColumn('msgs/s')], [['parley', '1,000'], ['ws', '']])).toEqual([
      '| server | msgs/s |',
      '| --- | ---: |',
      '| parley | 1,000 |',
      '| ws |  |',
    ]);
  });

  it('keeps a cell in its column: a | is escaped and a line break folded', () => {
    expect(markdownTable([textColumn('frame')], [['`a|b`'], ['two\nlines']])).toEqual(['| frame |', '| --- |', '| `a\\|b` |', '| two lines |']);
  });

  it('refuses a row whose cells do not match the columns', () => {
    expect(() => markdownTable([textColumn('a'), textColumn('b')], [['1', '2'], ['3']])).toThrow(/row 1 has 1 cells for 2 columns/);
  });

  it('writes the header of a table without rows', () => {
    expect(markdownTable([figureColumn('n')], [])).toEqual(['| n |', '| ---: |']);
  });
});
