export {
  BEHAVIOURS,
  CUSTOMER_BEHAVIOURS,
  DEFAULT_BEHAVIOUR_MIX,
  SIMULATION_DEFAULTS,
  SimulationOptionsError,
  resolveSimulationOptions,
  type Behaviour,
  type BehaviourMix,
  type SimulationOptions,
  type ResolvedSimulationOptions,
} from './options';
export {
  SIM_TOPICS,
  type SimTopic,
  type SimEventType,
  type SimEvent,
  type SimRecord,
  type TopicCounts,
  type MachineLabel,
} from './records';
export {
  simulateFleet,
  simulationLabels,
  simulationPeriod,
  type SimulatedBranch,
  type SimulationResult,
} from './simulate-fleet';
export { toNdjsonLine, eventJson } from './output/ndjson';
export { produceSimulation, SIMULATION_PRODUCER, type ProduceSimulationOptions } from './output/kafka-writer';
export { distanceKm, type Point } from './geo';
/** Seeded random draws (pure-rand xoroshiro128+), for tests and tools that need a reproducible order. */
export { Rng } from './random/rng';
