// $XDG_RUNTIME_DIR, checked before a helper puts anything there or hands it to Landlock: the
// variable comes from the environment, so it could name a directory another user controls.
#pragma once

#include "util/result.h"

#include <string>

namespace gamesched::sandbox {

// The user's runtime directory if it is an absolute path to a real directory (not a symlink)
// owned by this uid with no access for group or others (logind creates it 0700).
[[nodiscard]] Result<std::string> checked_runtime_dir(const char* value);

// checked_runtime_dir(getenv("XDG_RUNTIME_DIR")).
[[nodiscard]] Result<std::string> user_runtime_dir();

}  // namespace gamesched::sandbox
