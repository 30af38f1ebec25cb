#include "helpers/detect/audio_server.h"

#include <array>
#include <string_view>

namespace gamesched::detect {

bool is_audio_server(const ProcessInfo& info) {
    // A user can name any program of theirs like this; what it gains is bounded (a focused
    // game's audio-thread share, for at most four processes per user; bpf/desktop.bpf.h).
    static constexpr std::array<std::string_view, 3> kNames = {"pipewire", "pipewire-pulse", "pulseaudio"};
    for (std::string_view name : kNames) {
        if (info.exe_name == name) return true;
    }
    return false;
}

}  // namespace gamesched::detect
