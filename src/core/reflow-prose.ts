/**
 * Project Gutenberg books are hard-wrapped at about 70 columns, so the models learned to write a
 * newline every line or so, and a blank line between paragraphs. Chat clients wrap text to their
 * own width: left in, those newlines show as a ragged column of short lines, worst on a phone.
 * This joins the lines of each paragraph and keeps one blank line between paragraphs.
 *
 * It works on text still being written: a newline at the very end (with any spaces before it)
 * may be the start of a paragraph break or just a wrapped line, so it is held back until the
 * next character says which. Everything before that tail only depends on its neighbours, so a
 * longer prefix reflows to text that starts with what a shorter one showed, bar trailing spaces:
 * a story continued in a second message never changes the first.
 */
export function reflowProse(text: string): string {
  return text.replace(/[ \t]*(?:\n[ \t]*)+/g, (run: string, offset: number) => {
    const paragraphBreak = run.indexOf('\n') !== run.lastIndexOf('\n');
    if (paragraphBreak) return '\n\n';
    const atEnd = offset + run.length === text.length;
    return atEnd ? '' : ' ';
  });
}
