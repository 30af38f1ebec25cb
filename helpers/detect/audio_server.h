// The audio server a user's games are heard through: PipeWire (its daemon, and pipewire-pulse,
// a link to the same program) or PulseAudio. Every period it mixes every client's sound, so a
// game's audio is only as punctual as this process. Known by the program's file name; the
// detector only looks at the user's own processes, and the core verifies the owner again.
#pragma once

#include "helpers/detect/process_info.h"

namespace gamesched::detect {

[[nodiscard]] bool is_audio_server(const ProcessInfo& info);

}  // namespace gamesched::detect
