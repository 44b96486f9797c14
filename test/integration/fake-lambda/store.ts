import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { unzipSync } from "fflate";
import { conflict, invalidParameter, LambdaError, notFound } from "./errors";
import { applySettings, checkNewName, DEFAULT_SETTINGS, type FunctionSettings } from "./validate";

export const ACCOUNT = "123456789012";

/** One immutable code + configuration pair; execution environments run exactly one revision. */
export interface Revision {
  id: string;
  codeDir: string;
  codeSha256: string;
  codeSize: number;
  settings: FunctionSettings;
}

export interface StoredFunction {
  name: string;
  arn: string;
  /** What invocations run; null while the function is still being created. */
  current: Revision | null;
  /** The revision being created or updated (State Pending / LastUpdateStatus InProgress). */
  pending: Revision | null;
  pendingPolls: number;
  pendingSince: number;
  lastModified: string;
  url: Record<string, unknown> | null;
  /** Resource-based policy statements (AddPermission). */
  policy: Record<string, unknown>[];
}

export interface StoreOptions {
  root: string;
  region: string;
  /** How many GetFunction polls see Pending/InProgress before the change completes. */
  pendingPolls: number;
  /** …or after this long, whoever looks (Lambda completes by time, not by polls). */
  settleMs: number;
  unzippedLimitBytes: number;
  /** Called when a revision replaces another (its environments must go) or a function is deleted. */
  onRetire(name: string, revisionId: string | null): void;
}

/** Lambda's view of the functions: configurations, code on disk, and the create/update state machine. */
export class FunctionStore {
  private readonly functions = new Map<string, StoredFunction>();
  /** Base of the function URLs the fake serves itself (its own endpoint, set once listening). */
  urlBase = "";

  constructor(private readonly options: StoreOptions) {}

  arnOf(name: string): string {
    return `arn:aws:lambda:${this.options.region}:${ACCOUNT}:function:${name}`;
  }

  all(): StoredFunction[] {
    return [...this.functions.values()].map((f) => this.settle(f));
  }

  /** The function, with its state advanced by time; `poll` counts a waiter's GetFunction. */
  get(name: string, poll = false): StoredFunction {
    const fn = this.functions.get(name);
    if (!fn) throw notFound(this.arnOf(name));
    if (poll && fn.pending && fn.pendingPolls > 0) {
      fn.pendingPolls--;
      return fn;
    }
    return this.settle(fn);
  }

  create(body: Record<string, unknown>): StoredFunction {
    const name = checkNewName(body.FunctionName);
    if (this.functions.has(name)) throw conflict(`Function already exist: ${name}`);
    if (body.Role === undefined) {
      throw new LambdaError(
        400,
        "ValidationException",
        "1 validation error detected: Value null at 'role' failed to satisfy constraint: Member must not be null",
      );
    }
    const settings = applySettings({ ...DEFAULT_SETTINGS, Role: "" }, body);
    const zip = (body.Code as { ZipFile?: unknown } | undefined)?.ZipFile;
    if (typeof zip !== "string") {
      throw invalidParameter(
        "Please provide a source for function code (Code.ZipFile; S3 is not supported here).",
      );
    }
    const fn: StoredFunction = {
      name,
      arn: this.arnOf(name),
      current: null,
      pending: null,
      pendingPolls: 0,
      pendingSince: 0,
      lastModified: "",
      url: null,
      policy: [],
    };
    this.begin(fn, this.unpack(name, zip, settings));
    this.functions.set(name, fn);
    return fn;
  }

  updateCode(name: string, body: Record<string, unknown>): StoredFunction {
    const fn = this.ready(name);
    if (typeof body.ZipFile !== "string")
      throw invalidParameter("Please provide a source for function code (ZipFile).");
    const settings =
      body.Architectures === undefined
        ? fn.current!.settings
        : applySettings(fn.current!.settings, { Architectures: body.Architectures });
    this.begin(fn, this.unpack(name, body.ZipFile, settings));
    return fn;
  }

  updateConfiguration(name: string, body: Record<string, unknown>): StoredFunction {
    const fn = this.ready(name);
    const current = fn.current!;
    this.begin(fn, { ...current, id: randomUUID(), settings: applySettings(current.settings, body) });
    return fn;
  }

  delete(name: string): void {
    this.get(name);
    this.functions.delete(name);
    this.options.onRetire(name, null);
  }

  /** An existing function that accepts a change now (not creating, no update in progress). */
  private ready(name: string): StoredFunction {
    const fn = this.get(name);
    if (fn.pending) {
      throw conflict(
        fn.current
          ? `The operation cannot be performed at this time. An update is in progress for resource: ${fn.arn}`
          : `The operation cannot be performed at this time. The function is currently in the following state: Pending`,
      );
    }
    return fn;
  }

  private begin(fn: StoredFunction, revision: Revision): void {
    fn.pending = revision;
    fn.pendingPolls = this.options.pendingPolls;
    fn.pendingSince = Date.now();
    fn.lastModified = new Date().toISOString().replace("Z", "+0000");
    if (this.options.pendingPolls === 0) this.settle(fn);
  }

  private settle(fn: StoredFunction): StoredFunction {
    const due = fn.pendingPolls <= 0 || Date.now() - fn.pendingSince >= this.options.settleMs;
    if (fn.pending && due) {
      const previous = fn.current;
      fn.current = fn.pending;
      fn.pending = null;
      if (previous) this.options.onRetire(fn.name, previous.id);
    }
    return fn;
  }

  private unpack(name: string, zipBase64: string, settings: FunctionSettings): Revision {
    const zip = Buffer.from(zipBase64, "base64");
    let files: Record<string, Uint8Array>;
    try {
      files = unzipSync(zip);
    } catch {
      throw invalidParameter(
        "Could not unzip uploaded file. Please check your file, then try to upload again.",
      );
    }
    const total = Object.values(files).reduce((sum, data) => sum + data.length, 0);
    if (total > this.options.unzippedLimitBytes) {
      throw invalidParameter(`Unzipped size must be smaller than ${this.options.unzippedLimitBytes} bytes`);
    }
    const id = randomUUID();
    const codeDir = path.join(this.options.root, name, id);
    for (const [entry, data] of Object.entries(files)) {
      const target = path.resolve(codeDir, entry);
      if (!target.startsWith(codeDir + path.sep)) {
        throw invalidParameter(
          `Could not unzip uploaded file: entry "${entry}" is outside the archive root.`,
        );
      }
      if (entry.endsWith("/")) {
        mkdirSync(target, { recursive: true });
        continue;
      }
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, data);
    }
    mkdirSync(codeDir, { recursive: true });
    const codeSha256 = createHash("sha256").update(zip).digest("base64");
    return { id, codeDir, codeSha256, codeSize: zip.length, settings };
  }
}
