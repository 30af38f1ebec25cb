// gameschedctl set/mode --persist: writes the change into gamesched.conf (the core itself never
// writes outside its runtime directory). Comments and other settings are kept; the file is
// replaced atomically.
#pragma once

#include <string>

#include "ipc/messages.h"
#include "util/result.h"

namespace gamesched::ctl {

// Writes what a set_tunables or set_mode request changes into the file at path (created when
// missing). A file that is already invalid is left alone, with its error.
Status persist_settings(const ipc::Message& request, const std::string& path);

}  // namespace gamesched::ctl
