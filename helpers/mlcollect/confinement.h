// What gamesched-mlcollect may do once it confines itself: write only its state directory.
#pragma once

#include <filesystem>

#include "helpers/common/sandbox.h"

namespace gamesched::ml {

// Applied after the state directory exists and the request socket is open (binding a socket
// path is a write outside the state directory): from then on only the state directory can be
// written; /usr, /etc (time zone data) and /proc/self can be read.
sandbox::Policy confinement(const std::filesystem::path& state_dir);

}  // namespace gamesched::ml
