// Minimal typing for the parts of eslint-scope that faaslab uses (the package ships no types).
declare module "eslint-scope" {
  export interface Reference {
    identifier: { type: "Identifier"; name: string; start: number; end: number };
    resolved: Variable | null;
  }
  export interface Variable {
    name: string;
  }
  export interface Scope {
    type: string;
    /** References that this scope could not resolve, passed on to the enclosing scope. */
    through: Reference[];
  }
  export interface ScopeManager {
    globalScope: Scope | null;
  }
  export interface AnalyzeOptions {
    ecmaVersion?: number;
    sourceType?: "script" | "module" | "commonjs";
  }
  export function analyze(ast: object, options?: AnalyzeOptions): ScopeManager;
}
