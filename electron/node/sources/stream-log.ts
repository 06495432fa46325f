/**
 * A log that arrives on a stream rather than in a file — standard input, for `watch -`:
 * `journalctl -u exporter -f | fsm-inspector watch - --profile jumpstarter`. Lines are parsed by
 * the same parser as a file's; the source ends when the stream does.
 */
import type { Readable } from "node:stream";
import { LineSplitter, type Line } from "../../../shared/trace/line-splitter";
import type { NewObservation } from "../../../shared/trace/observation";
import type { LineParser } from "./line-parsers";
import { isoNow, type Clock, type Emit, type Source } from "./types";

export class StreamLogSource implements Source {
  private readonly splitter = new LineSplitter();
  private readonly parser: LineParser;
  private done: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly stream: NodeJS.ReadableStream,
    /** How the stream is named in observations ("<stdin>"). */
    private readonly name: string,
    makeParser: () => LineParser,
    private readonly emit: Emit,
    private readonly clock: Clock,
    private readonly onEnd: () => void = () => undefined,
  ) {
    this.parser = makeParser();
  }

  async start(): Promise<void> {
    this.done = this.pump();
  }

  /** Resolves when the stream has ended and every line was passed on. */
  ended(): Promise<void> {
    return this.done ?? Promise.resolve();
  }

  private parse(lines: Line[]): void {
    if (lines.length === 0 || this.closed) return;
    const ts = isoNow(this.clock);
    const out: NewObservation[] = [];
    for (const line of lines) out.push(...this.parser.line(line, this.name, ts));
    if (out.length) this.emit(out);
  }

  private async pump(): Promise<void> {
    try {
      for await (const chunk of this.stream as AsyncIterable<Buffer | string>) {
        if (this.closed) return;
        this.parse(this.splitter.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk));
      }
      this.parse(this.splitter.flush());
    } catch (err) {
      if (!this.closed) {
        this.emit([{ kind: "warning", code: "source-error", message: `reading ${this.name} failed: ${(err as Error).message}.`, ts: isoNow(this.clock), tsFrom: "observed", source: { file: this.name } }]);
      }
    }
    if (!this.closed) this.onEnd();
  }

  async close(): Promise<void> {
    this.closed = true;
    (this.stream as Readable).destroy?.();
  }
}
