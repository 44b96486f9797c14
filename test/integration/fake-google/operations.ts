import { randomUUID } from "node:crypto";
import { encodeEnum, type Encoding } from "./enums";
import { GoogleApiError, notFound } from "./errors";
import type { Json } from "./resource";

export type OperationType = "CREATE_FUNCTION" | "UPDATE_FUNCTION" | "DELETE_FUNCTION";
export type StageName = "BUILD" | "SERVICE";
export interface Stage {
  name: StageName;
  state: "NOT_STARTED" | "IN_PROGRESS" | "COMPLETE";
  message: string;
  resourceUri: string;
  severity?: "ERROR" | "INFO";
}

/** One long-running operation: stages advance as the fake's real work advances. */
export class Operation {
  readonly name: string;
  readonly createTime = new Date().toISOString();
  endTime: string | null = null;
  stages: Stage[];
  /** GETs answered so far; the first `pendingPolls` of them say not done even when the work is. */
  polls = 0;
  private finished = false;
  private error: GoogleApiError | null = null;
  private response: ((encoding: Encoding) => Json) | null = null;
  buildName = "";

  constructor(
    parent: string,
    readonly type: OperationType,
    readonly target: string,
    stageNames: StageName[],
    private readonly pendingPolls: number,
    /** Never finishes (a fault hook): every poll says not done. */
    readonly hung: boolean,
  ) {
    this.name = `${parent}/operations/operation-${Date.now()}-${randomUUID().slice(0, 12)}`;
    this.stages = stageNames.map((name) => ({ name, state: "NOT_STARTED", message: "", resourceUri: "" }));
  }

  stage(name: StageName): Stage {
    const s = this.stages.find((x) => x.name === name);
    if (!s) throw new Error(`operation ${this.name} has no ${name} stage`);
    return s;
  }

  start(name: StageName, message: string): void {
    Object.assign(this.stage(name), { state: "IN_PROGRESS", message });
  }

  complete(name: StageName, message = ""): void {
    Object.assign(this.stage(name), { state: "COMPLETE", message });
  }

  succeed(response: (encoding: Encoding) => Json): void {
    this.response = response;
    this.finish();
  }

  fail(error: GoogleApiError): void {
    this.error = error;
    this.finish();
  }

  private finish(): void {
    this.finished = true;
    this.endTime = new Date().toISOString();
  }

  get done(): boolean {
    return this.finished && !this.hung && this.polls > this.pendingPolls;
  }

  /** google.longrunning.Operation as JSON; `response`/`metadata` are Any values with their @type. */
  toJSON(encoding: Encoding): Json {
    const done = this.done;
    const metadata: Json = {
      "@type": "type.googleapis.com/google.cloud.functions.v2.OperationMetadata",
      createTime: this.createTime,
      target: this.target,
      verb: this.type.split("_")[0]!.toLowerCase(),
      cancelRequested: false,
      apiVersion: "v2",
      operationType: encodeEnum("operationType", this.type, encoding),
      stages: this.stages.map((s) => ({
        name: encodeEnum("stageName", s.name, encoding),
        state: encodeEnum("stageState", s.state, encoding),
        message: s.message,
        resourceUri: s.resourceUri,
        ...(s.severity
          ? {
              stateMessages: [
                { severity: encodeEnum("severity", s.severity, encoding), type: s.name, message: s.message },
              ],
            }
          : {}),
      })),
      ...(this.buildName ? { buildName: this.buildName } : {}),
      ...(done && this.endTime ? { endTime: this.endTime } : {}),
    };
    const out: Json = { name: this.name, metadata, done };
    if (done && this.error) out.error = this.error.toRpcStatus();
    else if (done && this.response) out.response = this.response(encoding);
    return out;
  }
}

export class OperationStore {
  private readonly all = new Map<string, Operation>();

  add(op: Operation): Operation {
    this.all.set(op.name, op);
    return op;
  }

  /** One poll: counts toward `done`. */
  poll(name: string): Operation {
    const op = this.all.get(name);
    if (!op) throw notFound(name);
    op.polls++;
    return op;
  }

  list(): Operation[] {
    return [...this.all.values()];
  }
}
