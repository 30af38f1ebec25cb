// The subcommands of gamesched-bench. Each takes its own arguments (after the subcommand name),
// prints one JSON object on stdout and returns the process exit code.
#pragma once

#include <string>
#include <vector>

namespace gamesched::bench {

using Argv = std::vector<std::string>;

int run_game(const Argv& args);
int run_hog(const Argv& args);
int run_forkexec(const Argv& args);
int run_fairness(const Argv& args);
int run_messaging(const Argv& args);
int run_calibrate(const Argv& args);
int run_bpfstats(const Argv& args);
int run_input_device(const Argv& args);
int run_report(const Argv& args);
int run_compositor(const Argv& args);
int run_audio_server(const Argv& args);

// --start-on-signal (game, audio-server): prints {"event":"waiting","pid":N} on stderr and waits
// for SIGUSR1 (true) or SIGTERM/SIGINT (false).
bool wait_for_start_signal();

// Prints "gamesched-bench SUBCOMMAND: message" on stderr and returns the exit code for bad usage.
int usage_error(const std::string& subcommand, const std::string& message);

}  // namespace gamesched::bench
