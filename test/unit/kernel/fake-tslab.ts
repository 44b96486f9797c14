import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface WrittenDisplay {
  data: Record<string, unknown>;
  transient: Record<string, unknown>;
  update: boolean;
}

export interface FakeTslab {
  written: WrittenDisplay[];
  /** What went through tslab's public display API (the fallback path). */
  publicCalls: { id: string | null; mime: string; value: unknown }[];
  exports: Record<string, unknown>;
  /** Simulates a new execute request (tslab installs a new writer for each). */
  nextCell(): void;
  /** Removes lastWriteDisplayData's module from the picture (tslab's internals moved). */
  hideInternals(): void;
  remove(): void;
}

/**
 * A stand-in for a running tslab kernel: globalThis.__tslab__ with a require("tslab") that returns a
 * public.js module whose sibling jupyter.js holds lastWriteDisplayData, both in require.cache as in a
 * real kernel.
 */
export function installFakeTslab(): FakeTslab {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "faaslab-fake-tslab-"));
  const jupyterFile = path.join(dir, "jupyter.js");
  const publicFile = path.join(dir, "public.js");
  fs.writeFileSync(jupyterFile, "exports.lastWriteDisplayData = null;\n");
  fs.writeFileSync(
    publicFile,
    `const jupyter = require("./jupyter");
let n = 0;
function make(id) {
  return { raw(mime, value) { exports.calls.push({ id, mime, value }); }, html(s) { this.raw("text/html", s); }, text(s) { this.raw("text/plain", s); } };
}
exports.calls = [];
exports.display = make(null);
exports.newDisplay = () => make("d" + ++n);
`,
  );
  const jupyter = require(jupyterFile) as { lastWriteDisplayData: unknown };
  const tslab = require(publicFile) as { calls: FakeTslab["publicCalls"] };
  const written: WrittenDisplay[] = [];
  const nextCell = (): void => {
    jupyter.lastWriteDisplayData = (
      content: { data: Record<string, unknown>; transient: Record<string, unknown> },
      update: boolean,
    ) => {
      written.push({ data: content.data, transient: content.transient, update });
    };
  };
  nextCell();
  const exports: Record<string, unknown> = {};
  (globalThis as Record<string, unknown>).__tslab__ = {
    exports,
    require: (id: string) => {
      if (id === "tslab") return tslab;
      throw new Error(`unexpected require ${id}`);
    },
  };
  return {
    written,
    publicCalls: tslab.calls,
    exports,
    nextCell,
    hideInternals: () => {
      delete require.cache[jupyterFile];
    },
    remove: () => {
      delete (globalThis as Record<string, unknown>).__tslab__;
      delete require.cache[jupyterFile];
      delete require.cache[publicFile];
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
