// Where the game's input handler gets its events: a real evdev device (--input /dev/input/eventN),
// or a generator in a separate process writing timestamped events into a pipe at a fixed rate, so
// the game works without devices and the wake still crosses a process boundary as hardware
// input does.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <span>
#include <string>

#include "util/result.h"
#include "util/unique_fd.h"

namespace gamesched::bench {

class InputSource {
public:
    static Result<InputSource> open_device(const std::string& path);
    // Forks the generator now (before the caller starts threads); first event at first_event_ns.
    static Result<InputSource> start_generator(double events_per_s, int64_t first_event_ns);

    InputSource(InputSource&& other) noexcept;
    InputSource& operator=(InputSource&&) = delete;
    InputSource(const InputSource&) = delete;
    InputSource& operator=(const InputSource&) = delete;
    ~InputSource();

    // Waits up to timeout_ms for events. On return, `woke_ns` is when the caller got the CPU back
    // and `out` holds the events' timestamps (CLOCK_MONOTONIC ns); the count may be 0.
    Result<size_t> wait(std::span<int64_t> out, int timeout_ms, int64_t& woke_ns);

    [[nodiscard]] const std::string& description() const { return description_; }

private:
    InputSource(UniqueFd fd, pid_t generator, bool is_evdev, std::string description);
    Result<size_t> read_pipe(std::span<int64_t> out);
    Result<size_t> read_evdev(std::span<int64_t> out);

    UniqueFd fd_;
    pid_t generator_ = -1;
    bool is_evdev_ = false;
    std::string description_;
};

}  // namespace gamesched::bench
