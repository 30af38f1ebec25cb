// Where the detector's decisions go (games, and the user's audio server): the core (over ipc)
// in production, a list in tests and in --once mode.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

namespace gamesched::detect {

struct GameReport {
    pid_t pid = 0;
    std::optional<std::uint64_t> steam_app_id;
    std::string name;
    std::string rule;
    int confidence = 0;
};

class HintSink {
public:
    virtual ~HintSink() = default;
    virtual void game_started(const GameReport& game) = 0;
    virtual void game_exited(pid_t pid) = 0;
    // The user's audio server (audio_server.h), at its exec and at every scan: the core holds
    // it as a desktop process until it exits (the core's lease ends with it).
    virtual void audio_server(pid_t pid) = 0;
};

}  // namespace gamesched::detect
