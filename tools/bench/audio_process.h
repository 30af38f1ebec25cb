// Audio in a process of its own (the jobs model: a game whose audio is mixed by another
// process, as a sound server or a Wine audio process does). Its periods are recorded in memory
// shared with the game, which reads them back after stopping it.
#pragma once

#include <sys/types.h>

#include <span>
#include <string>

#include "tools/bench/game_state.h"
#include "tools/bench/thread_stats.h"
#include "util/result.h"

namespace gamesched::bench {

class AudioProcess {
public:
    // Forks the process now (before the caller starts threads). It names itself `name` and runs
    // `periods` periods of `period_ns` from start_ns, each `loops` of work.
    static Result<AudioProcess> start(size_t periods, int64_t start_ns, int64_t period_ns, uint64_t loops,
                                      const std::string& name);

    AudioProcess(AudioProcess&& other) noexcept;
    AudioProcess& operator=(AudioProcess&&) = delete;
    AudioProcess(const AudioProcess&) = delete;
    AudioProcess& operator=(const AudioProcess&) = delete;
    ~AudioProcess();

    // Tells the process to stop after its current period and reaps it.
    void stop();
    // Valid after stop().
    [[nodiscard]] std::span<const AudioRecord> records() const;
    [[nodiscard]] ThreadStats stats() const;
    [[nodiscard]] pid_t pid() const { return pid_; }

private:
    struct Shared;
    AudioProcess(Shared* shared, size_t bytes, pid_t pid) : shared_(shared), bytes_(bytes), pid_(pid) {}

    Shared* shared_ = nullptr;
    size_t bytes_ = 0;
    pid_t pid_ = -1;
};

}  // namespace gamesched::bench
