import { FaasLabError } from "../errors";

/**
 * Payloads travel as JSON. What JSON cannot carry at all (a BigInt, a cycle, nesting deeper than
 * JSON.stringify's stack, a toJSON() or getter that throws) is an error naming the path of the value;
 * what it changes is documented (README, "Payloads"): Date → ISO string (its toJSON), Map and Set →
 * {}, NaN and ±Infinity → null, undefined / functions / symbols → dropped (null inside arrays).
 */
export const PAYLOAD_JSON_HINT =
  "JSON has no BigInt (send it as a string or number), no cycles and no unlimited nesting; it also " +
  "turns Date into an ISO string, Map and Set into {}, NaN and Infinity into null, and drops " +
  "undefined, functions and symbols (README, Payloads)";

/** At most this many problems are named per payload; the rest are counted. */
const MAX_NAMED = 10;
/** Nesting deeper than this is named as the cause when JSON.stringify ran out of stack. */
const DEEP = 1000;

/**
 * The payload as JSON text (undefined for a payload JSON drops, like undefined). The common case costs
 * one JSON.stringify; only when it throws is the payload walked to name the path of each bad value.
 */
export function payloadJson(payload: unknown, platform?: string): string | undefined {
  try {
    return JSON.stringify(payload);
  } catch (error) {
    const problems = payloadProblems(payload, "payload", error);
    throw new FaasLabError(`the payload cannot be sent as JSON: ${problems.join("; ")}`, {
      code: "PAYLOAD_NOT_SERIALIZABLE",
      phase: "invoke",
      platform,
      hint: PAYLOAD_JSON_HINT,
      cause: error,
    });
  }
}

interface Node {
  parent: Node | null;
  /** ".a", "[3]" or '["a b"]'; "" for the root. */
  segment: string;
  depth: number;
}

interface Frame {
  node: Node;
  container: object;
  /** Own enumerable string keys of an object; null for an array (indices up to `length`). */
  keys: string[] | null;
  length: number;
  next: number;
}

/**
 * Why JSON.stringify(payload) fails, one sentence per bad value with its path under `label`
 * ("payload.a.b is a BigInt"). Walks the value as JSON.stringify does (toJSON first, own enumerable
 * keys, array indices) without recursion, so a 20,000-deep array is walked, not overflowed.
 * `failure` is what JSON.stringify threw, for the case where no single value is to blame.
 */
export function payloadProblems(payload: unknown, label: string, failure?: unknown): string[] {
  const named: string[] = [];
  let count = 0;
  const problem = (node: Node, what: string) => {
    count += 1;
    if (named.length < MAX_NAMED) named.push(`${pathOf(node, label)} ${what}`);
  };
  const onPath = new Map<object, Node>();
  const stack: Frame[] = [];
  let deepest: Node = { parent: null, segment: "", depth: 0 };

  /** Looks at one value; a container becomes a frame whose children are visited next. */
  const visit = (raw: unknown, key: string, node: Node) => {
    if (node.depth > deepest.depth) deepest = node;
    const value = afterToJSON(raw, key, node, problem);
    if (value === FAILED) return;
    if (typeof value === "bigint" || value instanceof BigInt) return problem(node, "is a BigInt");
    if (typeof value !== "object" || value === null) return;
    if (value instanceof Number || value instanceof String || value instanceof Boolean) return;
    const earlier = onPath.get(value);
    if (earlier) return problem(node, `is circular: it is ${pathOf(earlier, label)} again`);
    onPath.set(value, node);
    if (Array.isArray(value)) {
      stack.push({ node, container: value, keys: null, length: value.length, next: 0 });
    } else {
      const keys = Object.keys(value);
      stack.push({ node, container: value, keys, length: keys.length, next: 0 });
    }
  };

  visit(payload, "", { parent: null, segment: "", depth: 0 });
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.next >= frame.length) {
      onPath.delete(frame.container);
      stack.pop();
      continue;
    }
    const index = frame.next++;
    const key = frame.keys ? frame.keys[index] : String(index);
    const child: Node = {
      parent: frame.node,
      segment: segmentFor(key, frame.keys === null),
      depth: frame.node.depth + 1,
    };
    let value: unknown;
    try {
      value = (frame.container as Record<string, unknown>)[key];
    } catch (error) {
      problem(child, `cannot be read: its getter threw ${describe(error)}`);
      continue;
    }
    visit(value, key, child);
  }

  if (count === 0 && failure !== undefined) {
    if (failure instanceof RangeError && deepest.depth > DEEP) {
      problem(
        deepest,
        `is nested ${deepest.depth.toLocaleString("en-US")} levels deep: too deep for JSON.stringify (${failure.message})`,
      );
    } else {
      problem({ parent: null, segment: "", depth: 0 }, `cannot be serialised: ${describe(failure)}`);
    }
  }
  if (count > named.length) named.push(`and ${count - named.length} more`);
  return named;
}

const FAILED = Symbol("failed");

/** JSON.stringify calls value.toJSON(key) first (Date has one; BigInt may be given one). */
function afterToJSON(
  value: unknown,
  key: string,
  node: Node,
  problem: (node: Node, what: string) => void,
): unknown {
  if ((typeof value !== "object" || value === null) && typeof value !== "bigint") return value;
  let toJSON: unknown;
  try {
    toJSON = (value as { toJSON?: unknown }).toJSON;
  } catch (error) {
    problem(node, `cannot be read: its toJSON getter threw ${describe(error)}`);
    return FAILED;
  }
  if (typeof toJSON !== "function") return value;
  try {
    return (toJSON as (key: string) => unknown).call(value, key);
  } catch (error) {
    problem(node, `cannot be serialised: its toJSON() threw ${describe(error)}`);
    return FAILED;
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function segmentFor(key: string, isIndex: boolean): string {
  if (isIndex) return `[${key}]`;
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** "payload.a[3].b"; a very deep path keeps its first and last segments around "…". */
function pathOf(node: Node, label: string): string {
  const segments: string[] = [];
  for (let at: Node | null = node; at && at.parent; at = at.parent) segments.push(at.segment);
  segments.reverse();
  if (segments.length > 12) return `${label}${segments.slice(0, 6).join("")}…${segments.slice(-3).join("")}`;
  return label + segments.join("");
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
