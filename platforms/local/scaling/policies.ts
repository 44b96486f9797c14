import type { Clock } from "../../../lib/clock";
import type { RoutingRule } from "../router";
import { CloudRunPolicy } from "./cloudrun";
import { KnativePolicy } from "./knative";
import { LambdaPolicy } from "./lambda";
import type { PoolControl, ScalingPolicy } from "./policy";
import type { ScalingSettings } from "./settings";

/** The policy `config.scaling` names. */
export function createPolicy(settings: ScalingSettings, pool: PoolControl, clock: Clock): ScalingPolicy {
  switch (settings.policy) {
    case "lambda":
      return new LambdaPolicy(settings, pool, clock);
    case "cloudrun":
      return new CloudRunPolicy(settings, pool, clock);
    case "knative":
      return new KnativePolicy(settings, pool, clock);
  }
}

/**
 * Lambda reuses the first free instance and lets a request wait for one that is starting (the local
 * platform's original rule); Cloud Run spreads requests; Knative's activator spreads them too and
 * sends none to an instance before it is ready.
 */
export function routingRule(settings: ScalingSettings): RoutingRule {
  const { concurrency } = settings;
  switch (settings.policy) {
    case "lambda":
      return { strategy: "first-fit", toStarting: true, concurrency };
    case "cloudrun":
      return { strategy: "least-loaded", toStarting: true, concurrency };
    case "knative":
      return { strategy: "least-loaded", toStarting: false, concurrency };
  }
}
