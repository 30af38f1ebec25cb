// gamesched-bench: the synthetic workloads of the benchmark (docs/benchmarks.md), one subcommand
// each, every one printing a single JSON object on stdout.
#include <cstdio>
#include <cstring>
#include <string>

#include "tools/bench/commands.h"

namespace {

constexpr const char* kUsage = R"(usage: gamesched-bench SUBCOMMAND [OPTIONS]

  game       a synthetic game (--model, default chain):
               chain   sim -> render -> submit -> GPU fence per frame, audio, input, 2 job workers
               heavy   the chain with one CPU-heavy sim (35/5/3 % of the period), no workers
               jobs    main fans out --jobs short jobs to --workers and waits for them; render
                       woken by a vsync-like timer; audio in a separate process
               cursor  only the input handler
             --duration S [--model M] [--input /dev/input/eventN] [--descriptive-names]
             [--period-us N] [--warmup S] [--fence-us N] [--audio-period-us N] [--input-hz N]
             [--workers N] [--jobs N] [--chain N] [--streamers N] [--load-scale F] [--loops-per-us N]
             [--start-on-signal] [--compositor SOCKET]
             --chain N (chain, heavy): N more stages (5 % of the period each) between render and
             submit, a longer frame chain (the autotune scenario uses it)
             --streamers N: N threads of the game that compute without sleeping (asset streaming,
             shader compilation), competing with its own frame chain (autotune-ab uses one)
  compositor stand-in compositor process: composites each frame a game hands over (game
             --compositor SOCKET): --socket SOCKET [--work-us N] [--load-scale F] [--loops-per-us N]
  audio-server stand-in audio server process, one period-driven mixing thread:
             --duration S [--period-us N] [--work-us N] [--warmup S] [--load-scale F] [--loops-per-us N]
             [--start-on-signal]
  hog        CPU burners: --duration S [--threads N] [--nice N]
  forkexec   fork/exec/wait loop: --duration S [--exe PATH]
  fairness   equal hogs + one nice-19 hog: --duration S [--hogs N]
  messaging  hackbench-like storm: [--groups N] [--fds N] [--loops N]
  calibrate  loops per microsecond: [--trials N] [--pacer-ms MS]
  bpfstats   BPF program run-time stats over a window: --duration S [--all] [--until-signal] [--windows N]
             (--until-signal: the window ends at SIGUSR1, --duration at the latest)
  input-device  (root) a uinput mouse moving at --hz N while SIGUSR1..SIGUSR2; prints its node
  report     (host) summarize a run's GS-BENCH records: --in RECORDS.jsonl --out RESULTS.json

Work amounts are loop counts calibrated at start (or given with --loops-per-us), never time.
Thread names are neutral (gs-thread-N) unless --descriptive-names is given.
)";

}  // namespace

namespace gamesched::bench {

int usage_error(const std::string& subcommand, const std::string& message) {
    (void)std::fprintf(stderr, "gamesched-bench %s: %s\n", subcommand.c_str(), message.c_str());
    return 2;
}

}  // namespace gamesched::bench

int main(int argc, char** argv) {
    using namespace gamesched::bench;
    if (argc < 2 || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "--help")) {
        (void)std::fputs(kUsage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const std::string sub = argv[1];
    const Argv args(argv + 2, argv + argc);
    if (sub == "game") return run_game(args);
    if (sub == "hog") return run_hog(args);
    if (sub == "forkexec") return run_forkexec(args);
    if (sub == "fairness") return run_fairness(args);
    if (sub == "messaging") return run_messaging(args);
    if (sub == "calibrate") return run_calibrate(args);
    if (sub == "bpfstats") return run_bpfstats(args);
    if (sub == "input-device") return run_input_device(args);
    if (sub == "report") return run_report(args);
    if (sub == "compositor") return run_compositor(args);
    if (sub == "audio-server") return run_audio_server(args);
    (void)std::fprintf(stderr, "gamesched-bench: unknown subcommand '%s'\n%s", sub.c_str(), kUsage);
    return 2;
}
