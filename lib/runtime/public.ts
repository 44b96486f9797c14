/**
 * What `import { … } from "faaslab"` means inside a deployed function: only the runtime half, so a
 * function may use `new Inspector()` without bundling the whole toolkit.
 */
export { Inspector } from "./inspector";
