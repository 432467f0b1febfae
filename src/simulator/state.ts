import { BurstLimit } from './burst';
import { type SimulatorConfig, type SimulatorOptions, configFrom } from './config';
import { FaultPlan } from './faults';
import { Limits } from './limits';
import { RequestLog } from './request-log';
import { Store } from './store';

/** Everything a simulator holds; the API routes read it, the admin routes change it. */
export interface SimulatorState {
  /** Changed in place by `POST /_sim/config`. */
  config: SimulatorConfig;
  store: Store;
  faults: FaultPlan;
  log: RequestLog;
  limits: Limits;
  /** Until when every API request is dropped (connection reset), ms since epoch. */
  outageUntil: number;
}

export function createState(options: SimulatorOptions): SimulatorState {
  const config = configFrom(options);
  return {
    config,
    store: new Store(options.stateFile),
    faults: new FaultPlan(),
    log: new RequestLog(),
    limits: new Limits(config, new BurstLimit(options.burstLimit, options.burstWindowMs)),
    outageUntil: 0,
  };
}
