// Runs the compiled CLI in this process and reports its wall time and peak RSS on the last stderr line,
// so a benchmark measures exactly what a user runs.
const { main } = await import(new URL('../../../build/out/electron/cli/main.js', import.meta.url).href);
const started = performance.now();
const code = await main(process.argv.slice(2));
const seconds = (performance.now() - started) / 1000;
process.stderr.write(`\n${JSON.stringify({ code, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
process.exitCode = code;
