using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Micro -- [BenchmarkDotNet options]   (bench/README.md)
// bench/run.sh --micro runs it with a short job and copies the table into the report.
BenchmarkSwitcher.FromAssembly(typeof(Gateway.Bench.Micro.HotPathBenchmarks).Assembly).Run(args);
