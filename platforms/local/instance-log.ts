import { createWriteStream, type WriteStream } from "node:fs";

/**
 * functions/<name>/logs/instances.log: what the instances of one pool write to stdout and stderr, and
 * the platform's own lines about them (an instance stopped, and why), marked "[faaslab]".
 */
export class InstanceLog {
  private readonly stream: WriteStream | null;
  private finished: Promise<void> | null = null;

  constructor(path: string | null) {
    this.stream = path ? createWriteStream(path, { flags: "a" }) : null;
    this.stream?.on("error", () => undefined);
  }

  write(chunk: Buffer): void {
    if (this.finished === null) this.stream?.write(chunk);
  }

  /** A line of the platform's own, on a line of its own even when an instance's output did not end one. */
  note(line: string): void {
    this.write(Buffer.from(`\n[faaslab] ${new Date().toISOString()} ${line}\n`));
  }

  /** Ends the file; resolves once everything written is on disk (or the file failed). */
  end(): Promise<void> {
    const stream = this.stream;
    this.finished ??= new Promise((resolve) => {
      if (!stream) return resolve();
      stream.once("close", () => resolve());
      stream.end();
    });
    return this.finished;
  }
}
