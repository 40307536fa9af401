/**
 * Stories arrive as flowing paragraphs (chat clients wrap them); a terminal would cut them
 * mid-word at its edge, so the terminal adapter wraps them itself at word boundaries.
 * Widths count code points; a word longer than the width is cut.
 */
export function wrapWords(text: string, width: number): string {
  if (width < 1) throw new RangeError('width must be at least 1');
  return text
    .split('\n')
    .map((line) => wrapLine(line, width))
    .join('\n');
}

function wrapLine(line: string, width: number): string {
  const rows: string[] = [];
  let row = '';
  for (const word of line.split(' ')) {
    const candidate = row === '' ? word : `${row} ${word}`;
    if ([...candidate].length <= width) {
      row = candidate;
      continue;
    }
    if (row !== '') rows.push(row);
    row = word;
    while ([...row].length > width) {
      const points = [...row];
      rows.push(points.slice(0, width).join(''));
      row = points.slice(width).join('');
    }
  }
  rows.push(row);
  return rows.join('\n');
}
