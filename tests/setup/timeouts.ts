// Integration and e2e tests talk to real Kafka, Postgres and Redis: give them room.
jest.setTimeout(Number(process.env.TEST_TIMEOUT_MS ?? 120_000));
