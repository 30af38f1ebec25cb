// Checks shared by the request and the server-record decoders (internal to ipc/).
#pragma once

#include "util/result.h"

#include <nlohmann/json.hpp>

namespace gamesched::ipc {

// "v" present and equal to kProtocolVersion.
[[nodiscard]] Status check_protocol_version(const nlohmann::json& object);

}  // namespace gamesched::ipc
