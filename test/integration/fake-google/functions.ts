import { aborted, alreadyExists, GoogleApiError, invalidArgument, notFound } from "./errors";
import { deploy, type DeployContext } from "./deploy";
import { emptyPolicy, isPublic, type Policy, type PolicyKind } from "./iam";
import { Operation, OperationStore, type StageName } from "./operations";
import type { Encoding } from "./enums";
import {
  applyUpdate,
  needsBuild,
  objectAt,
  readFunction,
  writeFunction,
  type FunctionResource,
  type Json,
} from "./resource";
import { FunctionService, type InvocationEntry } from "./service";
import { checkFunctionId, withDefaults } from "./validate";

export interface StoredFunction {
  resource: FunctionResource;
  service: FunctionService;
  /** IAM of the function and of its Cloud Run service. */
  policies: Record<PolicyKind, Policy>;
  codeDir: string | null;
  revisions: number;
  /** The operation now changing it (one at a time, as Google). */
  busy: Operation | null;
}

export interface StoreOptions {
  project: string;
  projectNumber: string;
  region: string;
  pendingPolls: number;
  pendingMs: number;
  startTimeoutMs: number;
  deployContext: DeployContext;
  invocations: InvocationEntry[];
  /** Consumes a queued "never finishes" fault. */
  takeHang(): boolean;
}

/** The functions of one project/region and the operations that create, update and delete them. */
export class FunctionStore {
  readonly byName = new Map<string, StoredFunction>();
  readonly operations = new OperationStore();
  private readonly jobs = new Set<Promise<void>>();

  constructor(private readonly o: StoreOptions) {}

  get(name: string): StoredFunction {
    const fn = this.byName.get(name);
    if (!fn) throw notFound(name);
    return fn;
  }

  async create(parent: string, functionId: string | null, body: unknown): Promise<Operation> {
    if (!functionId) throw invalidArgument("function_id is required.");
    checkFunctionId(functionId);
    const name = `${parent}/functions/${functionId}`;
    if (this.byName.has(name)) throw alreadyExists(name);
    const now = new Date().toISOString();
    const resource = {
      ...this.complete(readFunction(body)),
      name,
      state: "DEPLOYING",
      createTime: now,
      updateTime: now,
    } as FunctionResource;
    const service = new FunctionService(functionId, {
      pendingMs: this.o.pendingMs,
      startTimeoutMs: this.o.startTimeoutMs,
      isPublic: () => isPublic(stored.policies),
      log: this.o.invocations,
    });
    const stored: StoredFunction = {
      resource,
      service,
      policies: { function: emptyPolicy(), service: emptyPolicy() },
      codeDir: null,
      revisions: 0,
      busy: null,
    };
    this.byName.set(name, stored);
    await service.listen();
    return this.run(stored, "CREATE_FUNCTION", ["BUILD", "SERVICE"], async (op) => {
      try {
        await this.deployTo(stored, op, resource);
      } catch (error) {
        stored.resource = { ...resource, state: "FAILED", stateMessages: [failure(error)] };
        throw error;
      }
    });
  }

  async update(name: string, body: unknown, mask: string | null): Promise<Operation> {
    const stored = this.get(name);
    if (stored.busy) throw aborted(name);
    const before = stored.resource;
    const after = { ...applyUpdate(before, readFunction(body), mask) };
    const next = {
      ...this.complete(after),
      name,
      state: before.state,
      createTime: before.createTime,
    } as FunctionResource;
    const rebuild = needsBuild(before, next) || stored.codeDir === null;
    const stages: StageName[] = rebuild ? ["BUILD", "SERVICE"] : ["SERVICE"];
    stored.resource = { ...before, state: "DEPLOYING" };
    return this.run(stored, "UPDATE_FUNCTION", stages, async (op) => {
      try {
        await this.deployTo(stored, op, next);
      } catch (error) {
        // The old revision keeps serving; a function that never deployed stays FAILED.
        stored.resource = {
          ...before,
          state: stored.codeDir ? "ACTIVE" : "FAILED",
          stateMessages: [failure(error)],
        };
        throw error;
      }
    });
  }

  delete(name: string): Operation {
    const stored = this.get(name);
    if (stored.busy) throw aborted(name);
    stored.resource = { ...stored.resource, state: "DELETING" };
    return this.run(stored, "DELETE_FUNCTION", [], async () => {
      await stored.service.close();
      this.byName.delete(name);
    });
  }

  list(parent: string): StoredFunction[] {
    return [...this.byName.values()].filter((f) => f.resource.name.startsWith(`${parent}/functions/`));
  }

  /** Waits for every running job (stop() first closes services so none hangs). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.jobs]);
  }

  private async deployTo(stored: StoredFunction, op: Operation, fn: FunctionResource): Promise<void> {
    const done = await deploy(this.o.deployContext, op, fn, stored.service, stored);
    stored.codeDir = done.codeDir;
    stored.revisions++;
    const uri = stored.service.uri;
    stored.resource = {
      ...fn,
      state: "ACTIVE",
      updateTime: new Date().toISOString(),
      url: uri,
      serviceConfig: {
        ...fn.serviceConfig,
        uri,
        revision: done.revision.name,
        service: `projects/${this.o.project}/locations/${this.o.region}/services/${done.revision.functionId}`,
      },
    };
    delete stored.resource.stateMessages;
  }

  /** The caller's function with Google's defaults, checked (the resource fields are set by the caller). */
  private complete(fn: Json): FunctionResource {
    return withDefaults(fn, this.o) as FunctionResource;
  }

  /** Starts an operation whose work runs in the background; its result becomes the op's response. */
  private run(
    stored: StoredFunction,
    type: Operation["type"],
    stages: StageName[],
    work: (op: Operation) => Promise<void>,
  ): Operation {
    const parent = stored.resource.name.split("/").slice(0, 4).join("/");
    const op = this.operations.add(
      new Operation(parent, type, stored.resource.name, stages, this.o.pendingPolls, this.o.takeHang()),
    );
    stored.busy = op;
    const job = work(op)
      .then(
        () =>
          op.succeed(
            type === "DELETE_FUNCTION"
              ? () => ({ "@type": "type.googleapis.com/google.protobuf.Empty" })
              : functionAny(stored),
          ),
        (error: unknown) =>
          op.fail(
            error instanceof GoogleApiError ? error : new GoogleApiError(500, "INTERNAL", String(error)),
          ),
      )
      .finally(() => {
        stored.busy = null;
        this.jobs.delete(job);
      });
    this.jobs.add(job);
    return op;
  }
}

/** The Function as it finished, as an Any (`response` of the operation) in the reader's encoding. */
function functionAny(stored: StoredFunction): (encoding: Encoding) => Json {
  const snapshot = stored.resource;
  return (encoding) => ({
    "@type": "type.googleapis.com/google.cloud.functions.v2.Function",
    ...writeFunction(snapshot, encoding),
  });
}

function failure(error: unknown): Json {
  return {
    severity: "ERROR",
    type: "DeploymentFailed",
    message: error instanceof Error ? error.message : String(error),
  };
}

export const serviceUri = (stored: StoredFunction): string =>
  String(objectAt(stored.resource, "serviceConfig").uri ?? "");
