/** Line-oriented code writer: callers never hand-indent multi-line strings. */
export class Writer {
  private readonly lines: string[] = [];
  private depth = 0;

  line(text = ''): this {
    this.lines.push(text === '' ? '' : '  '.repeat(this.depth) + text);
    return this;
  }

  /** `head {`, the body one level deeper, then `tail`. */
  block(head: string, body: () => void, tail = '}'): this {
    this.line(head.endsWith('(') ? `${head}{` : `${head} {`);
    this.depth++;
    body();
    this.depth--;
    return this.line(tail);
  }

  /** A JSDoc comment; paragraphs are separated by an empty comment line. */
  doc(...paragraphs: string[]): this {
    const kept = paragraphs.filter((p) => p !== '');
    if (kept.length === 0) return this;
    this.line('/**');
    kept.forEach((paragraph, index) => {
      if (index > 0) this.line(' *');
      for (const text of sanitizeComment(paragraph).split('\n')) this.line(` * ${text}`.trimEnd());
    });
    return this.line(' */');
  }

  toString(): string {
    return `${this.lines
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd()}\n`;
  }
}

/** Text from a schema must not be able to close the comment it is written into. */
function sanitizeComment(text: string): string {
  return text.replace(/\*\//g, '*\\/');
}
