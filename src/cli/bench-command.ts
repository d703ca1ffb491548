/**
 * `dutymap bench [--quick]`: runs the project's benchmarks (tests/bench/run.ts) and prints their
 * JSON. The benchmarks live with the tests because they reuse the turf reference as baseline.
 */
export async function runBench(argv: string[]): Promise<number> {
  const { runBenchmarks } = await import('../../tests/bench/run');
  process.stdout.write(JSON.stringify(await runBenchmarks(argv), null, 2) + '\n');
  return 0;
}
