/**
 * Splits a byte stream into lines without ever holding more than one line: a partial last line
 * waits for its newline; CRLF is accepted; invalid UTF-8 becomes U+FFFD and is flagged; a line
 * longer than `maxLineBytes` is cut (its head kept) and flagged instead of growing without bound.
 * Pure (Uint8Array + TextDecoder), shared by `check` and the live log tail.
 */
export interface Line {
  /** 1-based line number in the file. */
  lineNo: number;
  /** Byte offset of the line's first byte. */
  offset: number;
  text: string;
  /** Bytes in the line including its newline. */
  bytes: number;
  invalidUtf8?: boolean;
  /** Total length in bytes when the line was cut at maxLineBytes. */
  truncatedFrom?: number;
}

export class LineSplitter {
  private parts: Uint8Array[] = [];
  private partBytes = 0;
  private lineBytes = 0;
  private lineStart: number;
  private lineNo: number;
  private readonly decoder = new TextDecoder("utf-8", { fatal: true });
  private readonly lenient = new TextDecoder("utf-8");

  constructor(
    private readonly maxLineBytes = 1024 * 1024,
    startOffset = 0,
    startLine = 0,
  ) {
    this.lineStart = startOffset;
    this.lineNo = startLine;
  }

  /** Offset just after the last complete line: where to resume reading. */
  get committedOffset(): number {
    return this.lineStart;
  }

  get committedLine(): number {
    return this.lineNo;
  }

  /** Bytes buffered in the unfinished last line. */
  get pendingBytes(): number {
    return this.lineBytes;
  }

  push(chunk: Uint8Array): Line[] {
    const out: Line[] = [];
    let from = 0;
    if (this.lineBytes > 0) {
      // The end of a line begun in an earlier chunk.
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        this.keep(chunk);
        return out;
      }
      this.keep(chunk.subarray(0, nl));
      out.push(this.finish(1));
      from = nl + 1;
    }
    const last = chunk.lastIndexOf(10);
    if (last > from) {
      // Plain ASCII (most logs): the whole run of complete lines decoded at once, then cut into
      // lines. Valid UTF-8 decodes to as many code units as bytes only when every byte is ASCII.
      const text = this.decodeOrUndefined(chunk.subarray(from, last));
      if (text !== undefined && text.length === last - from) {
        this.asciiLines(text, out);
        from = last + 1;
      }
    }
    for (;;) {
      const nl = chunk.indexOf(10, from);
      if (nl < 0) {
        this.keep(chunk.subarray(from));
        break;
      }
      // A whole line inside this chunk: decoded from it at once, no copy (the caller may reuse the chunk afterwards).
      out.push(this.finish(1, chunk.subarray(from, nl)));
      from = nl + 1;
    }
    return out;
  }

  private decodeOrUndefined(bytes: Uint8Array): string | undefined {
    try {
      return this.decoder.decode(bytes);
    } catch {
      return undefined;
    }
  }

  /** Complete lines of ASCII text (joined by "\n", the last newline left out): characters are bytes. */
  private asciiLines(text: string, out: Line[]): void {
    let a = 0;
    for (;;) {
      let b = text.indexOf("\n", a);
      if (b < 0) b = text.length;
      const len = b - a;
      const cut = len > this.maxLineBytes;
      let end = cut ? a + this.maxLineBytes : b;
      if (!cut && end > a && text.charCodeAt(end - 1) === 13) end -= 1;
      this.lineNo += 1;
      const line: Line = { lineNo: this.lineNo, offset: this.lineStart, text: text.slice(a, end), bytes: len + 1 };
      if (cut) line.truncatedFrom = len;
      out.push(line);
      this.lineStart += len + 1;
      if (b >= text.length) return;
      a = b + 1;
    }
  }

  /** At end of input: the unterminated last line, if any (a file may lack a final newline). */
  flush(): Line[] {
    return this.lineBytes > 0 ? [this.finish(0)] : [];
  }

  private keep(bytes: Uint8Array): void {
    this.lineBytes += bytes.length;
    const room = this.maxLineBytes - this.partBytes;
    if (room <= 0 || bytes.length === 0) return;
    const kept = bytes.length > room ? bytes.subarray(0, room) : bytes;
    // A copy, always: the caller may reuse its buffer, and a Node Buffer's slice() is a view.
    this.parts.push(new Uint8Array(kept));
    this.partBytes += kept.length;
  }

  /** Ends the current line: the kept parts, or `whole` (a complete line straight from the chunk). */
  private finish(newline: number, whole?: Uint8Array): Line {
    let buf: Uint8Array;
    if (whole) {
      this.lineBytes = whole.length;
      this.partBytes = Math.min(whole.length, this.maxLineBytes);
      buf = whole.subarray(0, this.partBytes);
    } else if (this.parts.length === 1 && this.parts[0]) buf = this.parts[0];
    else {
      buf = new Uint8Array(this.partBytes);
      let o = 0;
      for (const p of this.parts) {
        buf.set(p, o);
        o += p.length;
      }
    }
    const cut = this.lineBytes > this.partBytes;
    let end = buf.length;
    if (!cut && end > 0 && buf[end - 1] === 13) end -= 1;
    let text: string;
    let invalidUtf8 = false;
    try {
      text = this.decoder.decode(buf.subarray(0, end));
    } catch {
      text = this.lenient.decode(buf.subarray(0, end));
      invalidUtf8 = !cut;
    }
    this.lineNo += 1;
    const line: Line = { lineNo: this.lineNo, offset: this.lineStart, text, bytes: this.lineBytes + newline };
    if (invalidUtf8) line.invalidUtf8 = true;
    if (cut) line.truncatedFrom = this.lineBytes;
    this.lineStart += this.lineBytes + newline;
    this.parts = [];
    this.partBytes = 0;
    this.lineBytes = 0;
    return line;
  }
}

