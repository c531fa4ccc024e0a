package io.cozecdc.bench;

/** One benchmark scenario: measures and fills in its result. */
interface Scenario {

    String id();

    String title();

    void run(BenchRun run, ScenarioResult result) throws Exception;
}
