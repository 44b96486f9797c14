/**
 * A small declarative schema: enough to validate platform configs, list every problem at once, never
 * clamp, suggest the key a typo meant, and refuse known-bad values with the reason (a retired runtime).
 * Each platform declares its schema with the builders below (platforms/<name>/schema.ts); the config
 * type is inferred from it with `ConfigOf`, and the build keys are read from it with `buildKeys`.
 *
 * Why not zod/valibot/typebox: each of the three would still need this file's message layer (every
 * problem in one sentence the user can act on, did-you-mean, rejected values with reasons, rules that
 * see only valid fields), and the schemas here are flat records of scalars; the inference is 20 lines.
 */
export type FieldSpec = (
  | {
      type: "integer" | "number";
      min?: number;
      max?: number;
      unit?: string;
      /** Words accepted instead of a number (e.g. local's `cpu: "memory"`). */
      keywords?: readonly string[];
    }
  | {
      type: "string";
      pattern?: RegExp;
      /** Says what the pattern wants ("be an https URL"), shown instead of the regex. */
      patternHint?: string;
    }
  | { type: "boolean" }
  | {
      type: "enum";
      values: readonly (string | boolean)[];
      /** Known values that are refused, with the reason shown to the user (e.g. a retired runtime). */
      rejected?: Readonly<Record<string, string>>;
    }
  | { type: "stringMap" }
) & {
  /** The value changes the artifact (or where it is deployed): a change means a new deploy. */
  build?: boolean;
  /** `null` is accepted and means "not set" (e.g. taken from the SDK's environment). */
  nullable?: boolean;
};

/** A field spec that also carries the TypeScript type of its value (for `ConfigOf`). */
export type Field<T> = FieldSpec & { readonly __value?: T };

export interface ConfigSchema<F extends Record<string, FieldSpec> = Record<string, FieldSpec>> {
  platform: string;
  fields: F;
  /**
   * Checks that involve several fields; each returns a problem or null. A rule is given only the
   * fields that passed their own check (an invalid field is absent): skip when a field is missing.
   */
  rules?: Rule<Partial<FieldValues<F>>>[];
}

/** Method syntax keeps a rule of a specific schema assignable to `ConfigSchema` (bivariant parameter). */
type Rule<C> = { check(config: C): string | null }["check"];

type FieldValues<F extends Record<string, FieldSpec>> = {
  -readonly [K in keyof F]: F[K] extends Field<infer T> ? T : unknown;
};

/** The validated config type of a schema: one property per field, `| null` where nullable. */
export type ConfigOf<S> = S extends ConfigSchema<infer F> ? FieldValues<F> : never;

type Common = { build?: boolean };
type Nullable<T, O> = O extends { nullable: true } ? T | null : T;

/** Builders: `integer({ min: 64, unit: "MB" })`, `text({ nullable: true, build: true })`, … */
export const field = {
  integer: <O extends Common & { min?: number; max?: number; unit?: string; nullable?: boolean }>(o: O) =>
    ({ type: "integer", ...o }) as Field<Nullable<number, O>>,
  number: <O extends Common & { min?: number; max?: number; unit?: string; nullable?: boolean }>(o: O) =>
    ({ type: "number", ...o }) as Field<Nullable<number, O>>,
  string: <O extends Common & { pattern?: RegExp; patternHint?: string; nullable?: boolean }>(o: O) =>
    ({ type: "string", ...o }) as Field<Nullable<string, O>>,
  boolean: <O extends Common>(o?: O) => ({ type: "boolean", ...o }) as Field<boolean>,
  oneOf: <const V extends readonly (string | boolean)[]>(
    values: V,
    o: Common & { rejected?: Readonly<Record<string, string>> } = {},
  ) => ({ type: "enum", values, ...o }) as Field<V[number]>,
  /** A number, or one of `keywords` (`cpu: 0.5` or `cpu: "memory"`). */
  numberOr: <
    const K extends readonly string[],
    O extends Common & { min?: number; max?: number; unit?: string; nullable?: boolean },
  >(
    keywords: K,
    o: O,
  ) => ({ type: "number", keywords, ...o }) as Field<Nullable<number | K[number], O>>,
  stringMap: <O extends Common>(o?: O) => ({ type: "stringMap", ...o }) as Field<Record<string, string>>,
};

/** Declares a schema; `rules` see the inferred config type. */
export function defineSchema<F extends Record<string, FieldSpec>>(schema: ConfigSchema<F>): ConfigSchema<F> {
  return schema;
}

export function validateConfig(schema: ConfigSchema, config: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const valid: Record<string, unknown> = {};
  for (const key of Object.keys(config)) {
    if (!Object.hasOwn(schema.fields, key)) problems.push(unknownKey(key, Object.keys(schema.fields)));
  }
  for (const [key, spec] of Object.entries(schema.fields)) {
    const problem = checkField(key, spec, config[key]);
    if (problem) problems.push(problem);
    else valid[key] = config[key];
  }
  // Cross-field rules see only the fields that passed their own check, so they are reported
  // together with the other problems without reporting an invalid field twice.
  for (const rule of schema.rules ?? []) {
    const problem = rule(valid as never);
    if (problem) problems.push(problem);
  }
  return problems;
}

function checkField(key: string, spec: FieldSpec, value: unknown): string | null {
  if (value === undefined) return `"${key}" is required`;
  if (value === null && spec.nullable) return null;
  switch (spec.type) {
    case "integer":
    case "number": {
      const unit = spec.unit ? ` ${spec.unit}` : "";
      if (typeof value === "string" && spec.keywords?.includes(value)) return null;
      const alternatives = spec.keywords
        ? [...spec.keywords.map(show), ...(spec.nullable ? ["null"] : [])]
        : [];
      const words = alternatives.map((word) => ` or ${word}`).join("");
      if (typeof value !== "number" || Number.isNaN(value))
        return `"${key}" must be a number${words}, got ${show(value)}`;
      if (spec.type === "integer" && !Number.isInteger(value))
        return `"${key}" must be a whole number, got ${value}`;
      if (spec.min !== undefined && value < spec.min)
        return `"${key}" must be at least ${spec.min}${unit}, got ${value}`;
      if (spec.max !== undefined && value > spec.max)
        return `"${key}" must be at most ${spec.max}${unit}, got ${value}`;
      return null;
    }
    case "string":
      if (typeof value !== "string") return `"${key}" must be a string, got ${show(value)}`;
      if (spec.pattern && !spec.pattern.test(value))
        return `"${key}" must ${spec.patternHint ?? `match ${spec.pattern}`}, got ${show(value)}`;
      return null;
    case "boolean":
      return typeof value === "boolean" ? null : `"${key}" must be true or false, got ${show(value)}`;
    case "enum":
      if (spec.values.includes(value as string | boolean)) return null;
      if (typeof value === "string" && spec.rejected && Object.hasOwn(spec.rejected, value))
        return `"${key}" ${show(value)} ${spec.rejected[value]}`;
      return `"${key}" must be one of ${spec.values.map(show).join(", ")}, got ${show(value)}`;
    case "stringMap": {
      if (typeof value !== "object" || value === null || Array.isArray(value))
        return `"${key}" must be an object of strings, got ${show(value)}`;
      const bad = Object.entries(value).filter(([, v]) => typeof v !== "string");
      return bad.length ? `"${key}.${bad[0][0]}" must be a string, got ${show(bad[0][1])}` : null;
    }
  }
}

function unknownKey(key: string, known: string[]): string {
  const close = closestName(key, known);
  return close
    ? `unknown key "${key}" (did you mean "${close}"?)`
    : `unknown key "${key}" (known: ${known.join(", ")})`;
}

function show(value: unknown): string {
  return typeof value === "string" ? `"${value}"` : (JSON.stringify(value) ?? String(value));
}

/**
 * The known name a typo most likely meant: the same letters in another case, else the nearest one at
 * most 2 edits away (the first of equals); null when none is that close.
 */
export function closestName(name: string, known: readonly string[]): string | null {
  const sameLetters = known.find((k) => k.toLowerCase() === name.toLowerCase());
  if (sameLetters !== undefined) return sameLetters;
  let best: string | null = null;
  let bestDistance = 3;
  for (const k of known) {
    const distance = editDistance(k, name);
    if (distance < bestDistance) [best, bestDistance] = [k, distance];
  }
  return best;
}

/** Levenshtein distance (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

/** Keys of a schema whose change needs a new artifact. */
export function buildKeys(schema: ConfigSchema): string[] {
  return Object.entries(schema.fields)
    .filter(([, spec]) => spec.build)
    .map(([key]) => key);
}
